//! S3-compatible object storage, signed without I/O: presigned URLs (AWS Signature
//! Version 4, query form) for `GET`, `HEAD`, `PUT` and `DELETE`, and presigned `POST`
//! forms whose policy bounds what a browser may upload. The time is an argument, so the
//! same code signs at the origin, at an edge, and in tests against the published vectors.
//!
//! Addresses are path-style (`{endpoint}/{bucket}/{key}`, what MinIO-compatible servers,
//! SeaweedFS and R2 take) unless `virtual_host` puts the bucket in the host name (AWS).

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Where objects live and the keys that sign for them.
#[derive(Clone, Debug)]
pub struct Bucket {
    /// `http(s)://host[:port]`, without a trailing slash.
    pub endpoint: String,
    pub name: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
    pub virtual_host: bool,
}

/// How long a presigned address stays valid, at most (S3's own ceiling is 7 days).
pub const MAX_EXPIRES_SECONDS: u32 = 7 * 24 * 3600;

/// Presigned addresses of one bucket at one instant ([`Bucket::presigner`]).
pub struct Presigner<'a> {
    bucket: &'a Bucket,
    key: [u8; 32],
    stamp: String,
    scope: String,
    /// `X-Amz-Credential`, encoded.
    credential: String,
}

impl Presigner<'_> {
    /// [`Bucket::presign`] at this presigner's instant.
    pub fn presign(&self, method: &str, key: &str, expires: u32, query: &[(&str, &str)]) -> String {
        let (host, path) = self.bucket.host_and_path(key);
        let expires = expires.clamp(1, MAX_EXPIRES_SECONDS).to_string();
        let mut encoded: Vec<(String, String)> = vec![
            ("X-Amz-Algorithm".into(), "AWS4-HMAC-SHA256".into()),
            ("X-Amz-Credential".into(), self.credential.clone()),
            ("X-Amz-Date".into(), self.stamp.clone()),
            ("X-Amz-Expires".into(), expires),
            ("X-Amz-SignedHeaders".into(), "host".into()),
        ];
        encoded.extend(query.iter().map(|(name, value)| (encode(name, true), encode(value, true))));
        encoded.sort();
        let query: Vec<String> = encoded.iter().map(|(name, value)| format!("{name}={value}")).collect();
        let query = query.join("&");
        let canonical = format!("{method}\n{path}\n{query}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD");
        let to_sign =
            format!("AWS4-HMAC-SHA256\n{}\n{}\n{}", self.stamp, self.scope, hex::encode(Sha256::digest(canonical)));
        let signature = hex::encode(hmac(&self.key, to_sign.as_bytes()));
        format!("{}{path}?{query}&X-Amz-Signature={signature}", self.bucket.base(&host))
    }
}

/// A presigned `POST` form: the browser posts `fields` then the file (as the last field,
/// `file`) to `url`.
#[derive(Clone, Debug, PartialEq)]
pub struct PostForm {
    pub url: String,
    pub fields: Vec<(String, String)>,
}

/// What a presigned `POST` allows.
#[derive(Clone, Debug)]
pub struct PostPolicy<'a> {
    pub key: &'a str,
    pub content_type: &'a str,
    /// The object's size must lie in this range, in bytes, inclusive.
    pub min_size: u64,
    pub max_size: u64,
}

impl Bucket {
    /// The host and the path of `key`; an empty key is the bucket itself.
    fn host_and_path(&self, key: &str) -> (String, String) {
        let (scheme_less, _) = split_scheme(&self.endpoint);
        let path = format!("/{}", encode_path(key));
        match (self.virtual_host, key.is_empty()) {
            (true, _) => (format!("{}.{scheme_less}", self.name), path),
            (false, true) => (scheme_less.to_owned(), format!("/{}", encode_path(&self.name))),
            (false, false) => (scheme_less.to_owned(), format!("/{}{path}", encode_path(&self.name))),
        }
    }

    fn base(&self, host: &str) -> String {
        format!("{}{host}", split_scheme(&self.endpoint).1)
    }

    /// A presigned address for `method` on `key`, valid `expires` seconds from `now_ms`;
    /// `query` adds parameters that the signature covers (e.g. `response-content-disposition`).
    pub fn presign(&self, method: &str, key: &str, now_ms: i64, expires: u32, query: &[(&str, &str)]) -> String {
        self.presigner(now_ms).presign(method, key, expires, query)
    }

    /// Signs many addresses at `now_ms` with the day's signing key derived once.
    pub fn presigner(&self, now_ms: i64) -> Presigner<'_> {
        let (date, stamp) = amz_date(now_ms);
        let scope = format!("{date}/{}/s3/aws4_request", self.region);
        let credential = encode(&format!("{}/{scope}", self.access_key), true);
        Presigner { bucket: self, key: self.signing_key(&date), stamp, scope, credential }
    }

    /// A presigned `POST` form for one object, valid `expires` seconds from `now_ms`.
    pub fn post_form(&self, policy: &PostPolicy<'_>, now_ms: i64, expires: u32) -> PostForm {
        let (host, _) = self.host_and_path("");
        let url = if self.virtual_host {
            format!("{}/", self.base(&host))
        } else {
            format!("{}/{}", self.base(&host), encode_path(&self.name))
        };
        let (date, stamp) = amz_date(now_ms);
        let credential = format!("{}/{date}/{}/s3/aws4_request", self.access_key, self.region);
        let expiration = iso_time(now_ms + i64::from(expires.clamp(1, MAX_EXPIRES_SECONDS)) * 1000);
        let document = serde_json::json!({
            "expiration": expiration,
            "conditions": [
                {"bucket": self.name},
                ["eq", "$key", policy.key],
                ["eq", "$Content-Type", policy.content_type],
                ["content-length-range", policy.min_size, policy.max_size],
                {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
                {"x-amz-credential": credential},
                {"x-amz-date": stamp},
            ],
        });
        let encoded = base64::engine::general_purpose::STANDARD.encode(document.to_string());
        let signature = hex::encode(hmac(&self.signing_key(&date), encoded.as_bytes()));
        let fields = [
            ("key", policy.key.to_owned()),
            ("Content-Type", policy.content_type.to_owned()),
            ("x-amz-algorithm", "AWS4-HMAC-SHA256".to_owned()),
            ("x-amz-credential", credential),
            ("x-amz-date", stamp),
            ("policy", encoded),
            ("x-amz-signature", signature),
        ];
        PostForm { url, fields: fields.into_iter().map(|(name, value)| (name.to_owned(), value)).collect() }
    }

    fn signing_key(&self, date: &str) -> [u8; 32] {
        let key = hmac(format!("AWS4{}", self.secret_key).as_bytes(), date.as_bytes());
        let key = hmac(&key, self.region.as_bytes());
        let key = hmac(&key, b"s3");
        hmac(&key, b"aws4_request")
    }
}

fn split_scheme(endpoint: &str) -> (&str, &str) {
    let endpoint = endpoint.trim_end_matches('/');
    match endpoint.find("://") {
        Some(at) => (&endpoint[at + 3..], &endpoint[..at + 3]),
        None => (endpoint, "https://"),
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// S3's URI encoding: everything but unreserved characters, and `/` too unless `slash`
/// is false (object keys keep theirs).
fn encode(text: &str, slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            b'/' if !slash => out.push('/'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn encode_path(key: &str) -> String {
    encode(key, false)
}

/// `(YYYYMMDD, YYYYMMDDTHHMMSSZ)` of a UTC instant.
fn amz_date(now_ms: i64) -> (String, String) {
    let (year, month, day) = crate::usage::civil_date(now_ms);
    let seconds = now_ms.div_euclid(1000).rem_euclid(86_400);
    let date = format!("{year:04}{month:02}{day:02}");
    let stamp = format!("{date}T{:02}{:02}{:02}Z", seconds / 3600, seconds / 60 % 60, seconds % 60);
    (date, stamp)
}

/// `YYYY-MM-DDTHH:MM:SS.000Z`, as POST policies and API answers write instants.
pub fn iso_time(unix_ms: i64) -> String {
    let (year, month, day) = crate::usage::civil_date(unix_ms);
    let seconds = unix_ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
        unix_ms.rem_euclid(1000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(virtual_host: bool) -> Bucket {
        Bucket {
            endpoint: "https://s3.amazonaws.com".into(),
            name: "examplebucket".into(),
            region: "us-east-1".into(),
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            virtual_host,
        }
    }

    /// 2013-05-24T00:00:00Z, the instant of the published examples.
    const MAY_24_2013: i64 = 1_369_353_600_000;

    #[test]
    fn presigned_get_matches_the_published_example() {
        // AWS's "Example: presigned URL" of Signature Version 4 query authentication.
        let url = example(true).presign("GET", "test.txt", MAY_24_2013, 86_400, &[]);
        assert_eq!(
            url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=\
             AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&\
             X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=\
             aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
    }

    #[test]
    fn path_style_keeps_the_bucket_in_the_path_and_encodes_keys() {
        let bucket = Bucket { endpoint: "http://127.0.0.1:8333/".into(), ..example(false) };
        let url = bucket.presign("PUT", "b/1 2+é.csv", MAY_24_2013, 60, &[("response-content-type", "text/csv")]);
        assert!(url.starts_with("http://127.0.0.1:8333/examplebucket/b/1%202%2B%C3%A9.csv?"), "{url}");
        assert!(url.contains("&response-content-type=text%2Fcsv&"), "{url}");
        // The signature covers the method: another method signs differently.
        assert_ne!(
            url,
            bucket.presign("GET", "b/1 2+é.csv", MAY_24_2013, 60, &[("response-content-type", "text/csv")])
        );
    }

    #[test]
    fn a_post_policy_names_the_key_type_and_size_and_expires() {
        let form = example(false).post_form(
            &PostPolicy { key: "b/k", content_type: "image/png", min_size: 10, max_size: 10 },
            MAY_24_2013,
            900,
        );
        assert_eq!(form.url, "https://s3.amazonaws.com/examplebucket");
        let field = |name: &str| form.fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
        let policy = base64::engine::general_purpose::STANDARD.decode(field("policy").unwrap()).unwrap();
        let policy: serde_json::Value = serde_json::from_slice(&policy).unwrap();
        assert_eq!(policy["expiration"], "2013-05-24T00:15:00.000Z");
        assert_eq!(policy["conditions"][3], serde_json::json!(["content-length-range", 10, 10]));
        assert_eq!(field("x-amz-date").unwrap(), "20130524T000000Z");
        assert_eq!(field("x-amz-signature").unwrap().len(), 64);
    }
}
