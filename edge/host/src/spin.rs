//! Wiring of the Spin host interfaces (variables, key-value, wasi:keyvalue) into a linker.

use std::sync::Arc;

use wasmtime::component::{HasData, Linker, ResourceTable};

use crate::bindings::spin::key_value::key_value;
use crate::bindings::spin::variables::variables;
use crate::bindings::wasi::keyvalue::{atomics, batch, store};
use crate::keyvalue::Buckets;
use crate::kv::KvStore;
use crate::variables::Variables;

/// Marker type naming the Spin host implementation for `bindgen!`'s linker helpers.
pub struct Spin;

impl HasData for Spin {
    type Data<'a> = SpinView<'a>;
}

/// The slice of per-request store data the Spin interfaces need.
pub struct SpinView<'a> {
    /// Resource table shared with WASI, holding open key-value store handles.
    pub table: &'a mut ResourceTable,
    /// Process-wide key-value map (`default`).
    pub kv: &'a Arc<KvStore>,
    /// The `cache` store: least recently used out first.
    pub view_cache: &'a Arc<KvStore>,
    /// The `wasi:keyvalue` buckets (in memory or Redis).
    pub buckets: &'a Arc<Buckets>,
    /// Process-wide variable values.
    pub variables: &'a Variables,
}

/// Implemented by the store data type to hand out a [`SpinView`].
pub trait SpinState: Send + 'static {
    /// Borrows the parts of the store data the Spin interfaces use.
    fn spin(&mut self) -> SpinView<'_>;
}

/// Adds `spin:variables`, `spin:key-value` and `wasi:keyvalue` to `linker`.
pub fn add_to_linker<T: SpinState>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    variables::add_to_linker::<T, Spin>(linker, T::spin)?;
    key_value::add_to_linker::<T, Spin>(linker, T::spin)?;
    store::add_to_linker::<T, Spin>(linker, T::spin)?;
    atomics::add_to_linker::<T, Spin>(linker, T::spin)?;
    batch::add_to_linker::<T, Spin>(linker, T::spin)?;
    Ok(())
}
