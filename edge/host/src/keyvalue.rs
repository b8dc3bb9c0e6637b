//! `wasi:keyvalue@0.2.0-draft2` (store, atomics, batch): named buckets of byte values with
//! atomic increments, which the edge keeps its guardrail counters in.
//!
//! Buckets live in this process (one [`KvStore`] each) or, with `--kv-redis`, the shared
//! ones (`--kv-shared-buckets`) in Redis under `edge:<bucket>:<key>`, so that several
//! hosts share them. Counters are stored as
//! decimal text, as Redis's `INCRBY` keeps them. Compare-and-swap is not offered (the
//! component does not use it; see `wit/deps/wasi-keyvalue-0.2.0-draft2/atomic.wit`).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use redis::AsyncCommands;
use wasmtime::component::Resource;

use crate::bindings::wasi::keyvalue::{atomics, batch, store};
use crate::kv::KvStore;
use crate::spin::SpinView;

use store::Error;

/// Where the buckets are kept: the shared ones in Redis when configured, the others here.
pub struct Buckets {
    max_bytes: usize,
    memory: RwLock<HashMap<String, Arc<KvStore>>>,
    redis: Option<redis::aio::ConnectionManager>,
    shared: Vec<String>,
}

/// What a `bucket` resource in a component instance points at.
pub struct BucketHandle {
    name: String,
}

/// Bucket names are short identifiers.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn redis_key(bucket: &str, key: &str) -> String {
    format!("edge:{bucket}:{key}")
}

fn other(error: impl std::fmt::Display) -> Error {
    Error::Other(error.to_string())
}

impl Buckets {
    /// `shared` names the buckets kept in `redis` (when given).
    pub fn new(max_bytes: usize, redis: Option<redis::aio::ConnectionManager>, shared: Vec<String>) -> Buckets {
        Buckets { max_bytes, memory: RwLock::default(), redis, shared }
    }

    /// Connects to Redis (`redis://host:port/db`), reconnecting by itself after failures.
    pub async fn redis(url: &str) -> anyhow::Result<redis::aio::ConnectionManager> {
        let client = redis::Client::open(url)?;
        Ok(redis::aio::ConnectionManager::new(client).await?)
    }

    /// The bucket in this process, unless it is kept in Redis.
    fn memory_bucket(&self, name: &str) -> Option<Arc<KvStore>> {
        if self.redis.is_some() && self.shared.iter().any(|shared| shared == name) {
            return None;
        }
        if let Some(bucket) = self.memory.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(name) {
            return Some(Arc::clone(bucket));
        }
        let mut buckets = self.memory.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        Some(Arc::clone(buckets.entry(name.to_owned()).or_insert_with(|| Arc::new(KvStore::new(self.max_bytes)))))
    }

    fn connection(&self) -> Option<redis::aio::ConnectionManager> {
        self.redis.clone()
    }

    async fn get(&self, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => Ok(store.get(key)),
            (None, Some(mut redis)) => redis.get(redis_key(bucket, key)).await.map_err(other),
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    async fn set(&self, bucket: &str, key: &str, value: Vec<u8>) -> Result<(), Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => store.set(key, value).map_err(|_| Error::Other("the bucket is full".into())),
            (None, Some(mut redis)) => redis.set(redis_key(bucket, key), value).await.map_err(other),
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    async fn delete(&self, bucket: &str, key: &str) -> Result<(), Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => {
                store.delete(key);
                Ok(())
            }
            (None, Some(mut redis)) => redis.del(redis_key(bucket, key)).await.map_err(other),
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    async fn increment(&self, bucket: &str, key: &str, delta: i64) -> Result<i64, Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => store.increment(key, delta).map_err(Error::Other),
            (None, Some(mut redis)) => redis.incr(redis_key(bucket, key), delta).await.map_err(other),
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    async fn get_many(&self, bucket: &str, keys: Vec<String>) -> Result<Vec<(String, Option<Vec<u8>>)>, Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => {
                Ok(keys.into_iter().map(|key| (store.get(&key), key)).map(|(value, key)| (key, value)).collect())
            }
            (None, Some(mut redis)) => {
                if keys.is_empty() {
                    return Ok(Vec::new());
                }
                let full: Vec<String> = keys.iter().map(|key| redis_key(bucket, key)).collect();
                let values: Vec<Option<Vec<u8>>> = redis.mget(full).await.map_err(other)?;
                Ok(keys.into_iter().zip(values).collect())
            }
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    /// Every key of a bucket, in one page (the cursor is never needed).
    async fn keys(&self, bucket: &str) -> Result<Vec<String>, Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => Ok(store.keys()),
            (None, Some(mut redis)) => {
                let prefix = redis_key(bucket, "");
                let mut iter = redis.scan_match::<_, String>(format!("{prefix}*")).await.map_err(other)?;
                let mut keys = Vec::new();
                while let Some(key) = iter.next_item().await {
                    let key = key.map_err(other)?;
                    keys.push(key.strip_prefix(&prefix).unwrap_or(&key).to_owned());
                }
                Ok(keys)
            }
            (None, None) => Err(Error::NoSuchStore),
        }
    }
}

fn bucket_name(view: &SpinView<'_>, bucket: &Resource<BucketHandle>) -> wasmtime::Result<String> {
    Ok(view.table.get(bucket)?.name.clone())
}

impl store::Host for SpinView<'_> {
    async fn open(&mut self, identifier: String) -> wasmtime::Result<Result<Resource<BucketHandle>, Error>> {
        if !valid_name(&identifier) {
            return Ok(Err(Error::NoSuchStore));
        }
        match self.table.push(BucketHandle { name: identifier }) {
            Ok(handle) => Ok(Ok(handle)),
            Err(_) => Ok(Err(Error::Other("too many open buckets".into()))),
        }
    }
}

impl store::HostBucket for SpinView<'_> {
    async fn get(
        &mut self,
        bucket: Resource<BucketHandle>,
        key: String,
    ) -> wasmtime::Result<Result<Option<Vec<u8>>, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.get(&name, &key).await)
    }

    async fn set(
        &mut self,
        bucket: Resource<BucketHandle>,
        key: String,
        value: Vec<u8>,
    ) -> wasmtime::Result<Result<(), Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.set(&name, &key, value).await)
    }

    async fn delete(&mut self, bucket: Resource<BucketHandle>, key: String) -> wasmtime::Result<Result<(), Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.delete(&name, &key).await)
    }

    async fn exists(&mut self, bucket: Resource<BucketHandle>, key: String) -> wasmtime::Result<Result<bool, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.get(&name, &key).await.map(|value| value.is_some()))
    }

    async fn list_keys(
        &mut self,
        bucket: Resource<BucketHandle>,
        _cursor: Option<String>,
    ) -> wasmtime::Result<Result<store::KeyResponse, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.keys(&name).await.map(|keys| store::KeyResponse { keys, cursor: None }))
    }

    async fn drop(&mut self, bucket: Resource<BucketHandle>) -> wasmtime::Result<()> {
        self.table.delete(bucket)?;
        Ok(())
    }
}

impl atomics::Host for SpinView<'_> {
    async fn increment(
        &mut self,
        bucket: Resource<BucketHandle>,
        key: String,
        delta: i64,
    ) -> wasmtime::Result<Result<i64, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.increment(&name, &key, delta).await)
    }
}

impl batch::Host for SpinView<'_> {
    async fn get_many(
        &mut self,
        bucket: Resource<BucketHandle>,
        keys: Vec<String>,
    ) -> wasmtime::Result<Result<Vec<(String, Option<Vec<u8>>)>, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.get_many(&name, keys).await)
    }

    async fn set_many(
        &mut self,
        bucket: Resource<BucketHandle>,
        key_values: Vec<(String, Vec<u8>)>,
    ) -> wasmtime::Result<Result<(), Error>> {
        let name = bucket_name(self, &bucket)?;
        for (key, value) in key_values {
            if let Err(error) = self.buckets.set(&name, &key, value).await {
                return Ok(Err(error));
            }
        }
        Ok(Ok(()))
    }

    async fn delete_many(
        &mut self,
        bucket: Resource<BucketHandle>,
        keys: Vec<String>,
    ) -> wasmtime::Result<Result<(), Error>> {
        let name = bucket_name(self, &bucket)?;
        for key in keys {
            if let Err(error) = self.buckets.delete(&name, &key).await {
                return Ok(Err(error));
            }
        }
        Ok(Ok(()))
    }
}
