//! Host-side bindings generated from the Spin WIT packages in `edge/host/wit`.

wasmtime::component::bindgen!({
    path: "wit",
    world: "nclcdbaas:edge-host/spin-imports",
    // Every Spin import is a WIT `async func`, which already implies the
    // `async | store` flags; the `wasi:keyvalue` functions are synchronous to the
    // guest and `async` on the host (Redis). `trappable` lets a host bug surface as
    // a trap of the one request rather than as a wrong answer.
    imports: { default: async | trappable },
    with: {
        "spin:key-value/key-value.store": crate::kv::StoreHandle,
        "wasi:keyvalue/store.bucket": crate::keyvalue::BucketHandle,
        "wasi:keyvalue/atomics.cas": crate::keyvalue::CasHandle,
    },
    require_store_data_send: true,
});
