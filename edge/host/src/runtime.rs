//! The wasmtime engine, the pre-linked component and the per-request store data.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::p3::bindings::ServicePre;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use crate::keyvalue::Buckets;
use crate::kv::KvStore;
use crate::outbound::{Outbound, OutboundHooks};
use crate::spin::{self, SpinState, SpinView};
use crate::variables::Variables;

/// How often the epoch advances; the granularity of the guest deadline.
const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Fuel given to each request when fuel metering is on; large enough never to run out.
const FUEL_BUDGET: u64 = u64::MAX / 2;

/// Everything needed to create the engine and load the component.
pub struct RuntimeOptions<'a> {
    /// Path of the component to serve.
    pub component: &'a Path,
    /// Maximum number of component instances alive at once.
    pub max_instances: u32,
    /// Whether to meter instructions with fuel.
    pub fuel: bool,
    /// Whether to write a perf map of the compiled guest code.
    pub perfmap: bool,
    /// How long one request may run guest code before it is trapped.
    pub request_timeout: Duration,
    /// The most one linear memory of an instance may grow to; a guest that asks for more
    /// gets an allocation failure (its request fails, the instance is dropped).
    pub max_memory_bytes: usize,
    /// A host directory the guest reads as its root `/`, read-only; without one the guest
    /// sees no files.
    pub root: Option<&'a Path>,
}

/// Process-wide state every component instance can reach.
#[derive(Clone)]
pub struct Shared {
    /// The in-memory key-value store.
    pub kv: Arc<KvStore>,
    /// The `cache` key-value store (LRU).
    pub view_cache: Arc<KvStore>,
    /// The `wasi:keyvalue` buckets.
    pub buckets: Arc<Buckets>,
    /// Variable values from the environment.
    pub variables: Arc<Variables>,
    /// The pooled outbound HTTP client.
    pub outbound: Arc<Outbound>,
}

/// The compiled component, ready to be instantiated once per request.
pub struct Runtime {
    engine: Engine,
    pre: ServicePre<HostState>,
    shared: Shared,
    fuel: bool,
    deadline_ticks: u64,
    root: Option<std::path::PathBuf>,
}

/// What a `Store` holds for one request.
pub struct HostState {
    table: ResourceTable,
    wasi: WasiCtx,
    http: WasiHttpCtx,
    hooks: OutboundHooks,
    kv: Arc<KvStore>,
    view_cache: Arc<KvStore>,
    buckets: Arc<Buckets>,
    variables: Arc<Variables>,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl WasiHttpView for HostState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView { ctx: &mut self.http, table: &mut self.table, hooks: &mut self.hooks }
    }
}

impl SpinState for HostState {
    fn spin(&mut self) -> SpinView<'_> {
        SpinView {
            table: &mut self.table,
            kv: &self.kv,
            view_cache: &self.view_cache,
            buckets: &self.buckets,
            variables: &self.variables,
        }
    }
}

impl HostState {
    /// The `wasi:http` hooks, needed to build the incoming request resource.
    pub fn hooks(&mut self) -> &mut OutboundHooks {
        &mut self.hooks
    }
}

impl Runtime {
    /// Compiles the component and links it against every interface the host provides.
    pub fn load(options: &RuntimeOptions<'_>, shared: Shared) -> anyhow::Result<Self> {
        let path = options.component;
        let engine = Engine::new(&engine_config(options))
            .map_err(anyhow::Error::from)
            .context("configuring the wasmtime engine")?;
        let bytes = std::fs::read(path).with_context(|| format!("reading component {}", path.display()))?;
        let component = Component::new(&engine, &bytes)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("compiling component {}", path.display()))?;

        let mut linker = Linker::<HostState>::new(&engine);
        // Rust's wasm32-wasip2 standard library still imports WASIp2
        // interfaces, while the Spin SDK's HTTP code uses WASIp3.
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(anyhow::Error::from).context("linking WASIp2")?;
        wasmtime_wasi::p3::add_to_linker(&mut linker).map_err(anyhow::Error::from).context("linking WASIp3")?;
        wasmtime_wasi_http::p3::add_to_linker(&mut linker)
            .map_err(anyhow::Error::from)
            .context("linking wasi:http@0.3")?;
        spin::add_to_linker(&mut linker).map_err(anyhow::Error::from).context("linking the Spin interfaces")?;

        let instance_pre = linker
            .instantiate_pre(&component)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("component {} imports an interface this host does not provide", path.display()))?;
        let pre = ServicePre::new(instance_pre)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("component {} does not export wasi:http/handler@0.3.0", path.display()))?;

        let deadline_ticks = ticks(options.request_timeout);
        spawn_epoch_ticker(&engine);
        if let Some(root) = options.root {
            anyhow::ensure!(root.is_dir(), "the files directory {} does not exist", root.display());
        }
        let root = options.root.map(Path::to_path_buf);
        Ok(Self { engine, pre, shared, fuel: options.fuel, deadline_ticks, root })
    }

    /// The pre-instantiated service.
    pub fn pre(&self) -> &ServicePre<HostState> {
        &self.pre
    }

    /// Whether fuel metering is on.
    pub fn fuel_enabled(&self) -> bool {
        self.fuel
    }

    /// A fresh store for one request, with its guest deadline already running.
    /// Readies a store for its next request: a fresh deadline and, when metering, a full fuel budget.
    pub fn reset_for_request(&self, store: &mut Store<HostState>) -> anyhow::Result<()> {
        store.set_epoch_deadline(self.deadline_ticks);
        if self.fuel {
            store.set_fuel(FUEL_BUDGET)?;
        }
        Ok(())
    }

    pub fn new_store(&self) -> anyhow::Result<Store<HostState>> {
        // The guest gets no host environment or arguments, and no files but its root when
        // it has one; only stderr is passed through so that guest panics are visible.
        let mut wasi = WasiCtxBuilder::new();
        wasi.inherit_stderr();
        if let Some(root) = &self.root {
            wasi.preopened_dir(root, "/", wasmtime_wasi::FsPerms::ReadOnly)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("opening {}", root.display()))?;
        }
        let state = HostState {
            table: ResourceTable::new(),
            wasi: wasi.build(),
            http: WasiHttpCtx::new(),
            hooks: OutboundHooks::new(Arc::clone(&self.shared.outbound)),
            kv: Arc::clone(&self.shared.kv),
            view_cache: Arc::clone(&self.shared.view_cache),
            buckets: Arc::clone(&self.shared.buckets),
            variables: Arc::clone(&self.shared.variables),
        };
        let mut store = Store::new(&self.engine, state);
        store.set_epoch_deadline(self.deadline_ticks);
        store.epoch_deadline_trap();
        if self.fuel {
            store.set_fuel(FUEL_BUDGET)?;
        }
        Ok(store)
    }

    /// Fuel consumed so far in `store`, when metering is on.
    pub fn fuel_used(&self, store: &Store<HostState>) -> Option<u64> {
        if !self.fuel {
            return None;
        }
        store.get_fuel().ok().map(|left| FUEL_BUDGET.saturating_sub(left))
    }
}

fn engine_config(options: &RuntimeOptions<'_>) -> Config {
    let mut config = Config::new();
    config.wasm_component_model_async(true);
    config.consume_fuel(options.fuel);
    if options.perfmap {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    // Epoch interruption is what stops a guest stuck in a loop: a plain
    // timeout cannot fire while the guest holds the thread.
    config.epoch_interruption(true);

    // Idle instances kept for reuse hold pool slots too.
    let instances = options.max_instances.max(1).saturating_add(crate::server::MAX_IDLE_INSTANCES);
    let mut pool = PoolingAllocationConfig::default();
    // One component instance holds several core instances (the program plus
    // the canonical-ABI shims) and usually one memory; the multipliers leave
    // headroom so the component-instance count is the limit that bites.
    pool.total_component_instances(instances)
        .total_core_instances(instances.saturating_mul(8))
        .total_memories(instances.saturating_mul(2))
        .total_tables(instances.saturating_mul(8))
        .total_stacks(instances.saturating_mul(2))
        .max_memory_size(options.max_memory_bytes);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    config
}

fn ticks(timeout: Duration) -> u64 {
    let ticks = timeout.as_millis() / EPOCH_TICK.as_millis();
    u64::try_from(ticks).unwrap_or(u64::MAX).max(1)
}

/// Advances the engine epoch from a plain thread, so the deadline still fires
/// when every runtime worker is busy inside a guest.
fn spawn_epoch_ticker(engine: &Engine) {
    let engine = engine.weak();
    let spawned = std::thread::Builder::new().name("epoch-ticker".into()).spawn(move || {
        while let Some(engine) = engine.upgrade() {
            engine.increment_epoch();
            drop(engine);
            std::thread::sleep(EPOCH_TICK);
        }
    });
    if let Err(err) = spawned {
        tracing::error!(error = %err, "could not start the epoch thread; guest deadlines are off");
    }
}
