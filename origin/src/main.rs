//! The origin binary; all wiring lives in the library.

fn main() -> anyhow::Result<()> {
    origin::run()
}
