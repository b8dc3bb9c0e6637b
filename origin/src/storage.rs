//! The object store (any S3-compatible server): every request goes to an address that
//! `shared::s3` presigned a moment before, so one signing implementation serves the
//! origin's own reads and writes and the addresses handed to clients. Clients get
//! addresses on the public endpoint (`NC_S3_PUBLIC_ENDPOINT`), the origin uses the
//! internal one.

use crate::error::Error;
use anyhow::{Context, anyhow};
use futures_util::Stream;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use shared::s3::{Bucket, PostForm, PostPolicy};
use std::time::Duration;

/// Addresses the origin signs for itself live this long.
const OWN_SECONDS: u32 = 300;

#[derive(clap::Args, Clone)]
pub struct StorageArgs {
    /// The S3-compatible endpoint the origin reaches, e.g. `https://s3.eu-west-1.amazonaws.com`.
    #[arg(long, env = "NC_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    /// The endpoint clients reach, when it differs (a CDN, a public address).
    #[arg(long, env = "NC_S3_PUBLIC_ENDPOINT")]
    pub s3_public_endpoint: Option<String>,
    #[arg(long, env = "NC_S3_BUCKET", default_value = "nclcdbaas")]
    pub s3_bucket: String,
    #[arg(long, env = "NC_S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,
    #[arg(long, env = "NC_S3_ACCESS_KEY", default_value = "", hide_env_values = true)]
    pub s3_access_key: String,
    #[arg(long, env = "NC_S3_SECRET_KEY", default_value = "", hide_env_values = true)]
    pub s3_secret_key: String,
    /// Certificate authorities (PEM) an `https` endpoint may be signed by besides the
    /// public ones: a private CA's, or a self-signed store's certificate.
    #[arg(long, env = "NC_S3_CA_FILE")]
    pub s3_ca_file: Option<std::path::PathBuf>,
    /// Put the bucket in the host name (AWS) instead of the path (MinIO-compatible servers, R2).
    #[arg(long, env = "NC_S3_VIRTUAL_HOST", default_value_t = false)]
    pub s3_virtual_host: bool,
    /// The largest upload a base takes, in bytes.
    #[arg(long, env = "NC_MAX_UPLOAD", default_value_t = shared::bulk::DEFAULT_MAX_UPLOAD)]
    pub max_upload: u64,
}

type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

pub struct Storage {
    internal: Bucket,
    public: Bucket,
    client: Client<Connector, Full<Bytes>>,
    pub max_upload: u64,
}

/// HTTP, or HTTPS checked against the public authorities (webpki-roots) and those of
/// `ca_file`.
fn connector(ca_file: Option<&std::path::Path>) -> anyhow::Result<Connector> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        let certificates = CertificateDer::pem_file_iter(path)
            .with_context(|| format!("NC_S3_CA_FILE: read {}", path.display()))?
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("NC_S3_CA_FILE: {} holds no PEM certificates", path.display()))?;
        anyhow::ensure!(!certificates.is_empty(), "NC_S3_CA_FILE: {} holds no certificate", path.display());
        for certificate in certificates {
            roots.add(certificate).context("NC_S3_CA_FILE: a certificate is not a usable authority")?;
        }
    }
    let tls = client_tls(roots)?;
    let mut http = HttpConnector::new();
    http.set_nodelay(true);
    http.set_connect_timeout(Some(Duration::from_secs(5)));
    http.enforce_http(false);
    Ok(hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http))
}

/// A TLS client that trusts `roots`, as every outbound HTTPS connection of the origin uses.
pub(crate) fn client_tls(roots: rustls::RootCertStore) -> anyhow::Result<rustls::ClientConfig> {
    Ok(rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl Storage {
    /// The configured store; none without an endpoint and keys.
    pub fn new(args: &StorageArgs) -> anyhow::Result<Option<Storage>> {
        let Some(endpoint) = args.s3_endpoint.clone().filter(|endpoint| !endpoint.is_empty()) else {
            return Ok(None);
        };
        if args.s3_access_key.is_empty() || args.s3_secret_key.is_empty() {
            return Ok(None);
        }
        let internal = Bucket {
            endpoint: endpoint.clone(),
            name: args.s3_bucket.clone(),
            region: args.s3_region.clone(),
            access_key: args.s3_access_key.clone(),
            secret_key: args.s3_secret_key.clone(),
            virtual_host: args.s3_virtual_host,
        };
        let public = Bucket { endpoint: args.s3_public_endpoint.clone().unwrap_or(endpoint), ..internal.clone() };
        let client = Client::builder(TokioExecutor::new()).build(connector(args.s3_ca_file.as_deref())?);
        Ok(Some(Storage { internal, public, client, max_upload: args.max_upload }))
    }

    fn own(&self, method: &str, key: &str, query: &[(&str, &str)]) -> String {
        self.internal.presign(method, key, crate::clock::now_ms(), OWN_SECONDS, query)
    }

    async fn send(
        &self,
        method: &str,
        url: String,
        body: Bytes,
        headers: &[(&str, String)],
    ) -> Result<hyper::Response<Incoming>, Error> {
        let mut request = hyper::Request::builder().method(method).uri(&url);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let request = request.body(Full::new(body)).map_err(|error| storage_error(anyhow!(error)))?;
        let response = tokio::time::timeout(Duration::from_secs(60), self.client.request(request))
            .await
            .map_err(|_| storage_error(anyhow!("the object store did not answer within 60 s")))?
            .map_err(|error| storage_error(anyhow!(error)))?;
        Ok(response)
    }

    /// Creates the bucket unless it exists.
    pub async fn ensure_bucket(&self) -> anyhow::Result<()> {
        let url = self.own("PUT", "", &[]);
        let response = self.send("PUT", url, Bytes::new(), &[]).await.map_err(|error| anyhow!("{error}"))?;
        let status = response.status();
        let body = response.into_body().collect().await.context("read the answer")?.to_bytes();
        let text = String::from_utf8_lossy(&body);
        anyhow::ensure!(
            status.is_success() || text.contains("BucketAlreadyOwnedByYou") || text.contains("BucketAlreadyExists"),
            "creating bucket {} answered {status}: {text}",
            self.internal.name
        );
        Ok(())
    }

    /// The object's size, or none when it does not exist.
    pub async fn size(&self, key: &str) -> Result<Option<u64>, Error> {
        let response = self.send("HEAD", self.own("HEAD", key, &[]), Bytes::new(), &[]).await?;
        match response.status().as_u16() {
            404 => Ok(None),
            200 => Ok(response
                .headers()
                .get(hyper::header::CONTENT_LENGTH)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.parse().ok())),
            status => Err(storage_error(anyhow!("HEAD {key} answered {status}"))),
        }
    }

    /// The object's bytes as they arrive.
    pub async fn read(&self, key: &str) -> Result<impl Stream<Item = Result<Bytes, Error>> + use<>, Error> {
        let response = self.send("GET", self.own("GET", key, &[]), Bytes::new(), &[]).await?;
        if !response.status().is_success() {
            return Err(storage_error(anyhow!("GET {key} answered {}", response.status())));
        }
        let stream = response.into_body().into_data_stream();
        Ok(futures_util::StreamExt::map(stream, |item| item.map_err(|error| storage_error(anyhow!(error)))))
    }

    pub async fn put(&self, key: &str, body: Vec<u8>, content_type: &str) -> Result<(), Error> {
        let url = self.own("PUT", key, &[]);
        let response = self.send("PUT", url, Bytes::from(body), &[("content-type", content_type.to_owned())]).await?;
        expect_success(response, "PUT").await.map(drop)
    }

    pub async fn delete(&self, key: &str) -> Result<(), Error> {
        let response = self.send("DELETE", self.own("DELETE", key, &[]), Bytes::new(), &[]).await?;
        expect_success(response, "DELETE").await.map(drop)
    }

    /// Starts a multipart upload; answers its id.
    pub async fn start_multipart(&self, key: &str, content_type: &str) -> Result<String, Error> {
        let url = self.own("POST", key, &[("uploads", "")]);
        let response = self.send("POST", url, Bytes::new(), &[("content-type", content_type.to_owned())]).await?;
        let body = expect_success(response, "POST ?uploads").await?;
        xml_value(&body, "UploadId").ok_or_else(|| storage_error(anyhow!("no UploadId in {body}")))
    }

    /// Uploads part `number` (from 1); answers its ETag.
    pub async fn upload_part(&self, key: &str, upload: &str, number: u32, body: Vec<u8>) -> Result<String, Error> {
        let number = number.to_string();
        let url = self.own("PUT", key, &[("partNumber", &number), ("uploadId", upload)]);
        let response = self.send("PUT", url, Bytes::from(body), &[]).await?;
        let etag = response.headers().get(hyper::header::ETAG).and_then(|value| value.to_str().ok()).map(str::to_owned);
        expect_success(response, "PUT part").await?;
        etag.ok_or_else(|| storage_error(anyhow!("a part's answer has no ETag")))
    }

    pub async fn complete_multipart(&self, key: &str, upload: &str, etags: &[String]) -> Result<(), Error> {
        let mut xml = String::from("<CompleteMultipartUpload>");
        for (index, etag) in etags.iter().enumerate() {
            xml.push_str(&format!("<Part><PartNumber>{}</PartNumber><ETag>{etag}</ETag></Part>", index + 1));
        }
        xml.push_str("</CompleteMultipartUpload>");
        let url = self.own("POST", key, &[("uploadId", upload)]);
        let response = self.send("POST", url, Bytes::from(xml), &[("content-type", "application/xml".into())]).await?;
        let body = expect_success(response, "POST ?uploadId").await?;
        // S3 may answer 200 with an error document.
        match body.contains("<Error>") {
            true => Err(storage_error(anyhow!("completing the upload failed: {body}"))),
            false => Ok(()),
        }
    }

    pub async fn abort_multipart(&self, key: &str, upload: &str) -> Result<(), Error> {
        let response = self.send("DELETE", self.own("DELETE", key, &[("uploadId", upload)]), Bytes::new(), &[]).await?;
        expect_success(response, "DELETE ?uploadId").await.map(drop)
    }

    /// A client's address to download `key` as `filename`, valid for `seconds`.
    pub fn download_url(&self, key: &str, filename: &str, now_ms: i64, seconds: u32) -> String {
        self.downloads(now_ms).url(key, filename, seconds)
    }

    /// Signs many download addresses at `now_ms`, deriving the signing key once.
    pub fn downloads(&self, now_ms: i64) -> Downloads<'_> {
        Downloads(self.public.presigner(now_ms))
    }

    /// A client's form to upload exactly `size` bytes of `content_type` to `key`.
    pub fn upload_form(&self, key: &str, content_type: &str, size: u64, now_ms: i64) -> PostForm {
        let policy = PostPolicy { key, content_type, min_size: size, max_size: size };
        self.public.post_form(&policy, now_ms, shared::bulk::URL_SECONDS)
    }
}

pub struct Downloads<'a>(shared::s3::Presigner<'a>);

impl Downloads<'_> {
    /// A client's address to download `key` as `filename`, valid for `seconds`.
    pub fn url(&self, key: &str, filename: &str, seconds: u32) -> String {
        self.0.presign("GET", key, seconds, &[("response-content-disposition", &disposition(filename))])
    }
}

/// `attachment` with the name twice: plain ASCII for old clients, and RFC 5987's UTF-8
/// form, which browsers prefer.
fn disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::with_capacity(filename.len() * 3);
    for byte in filename.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => encoded.push(byte as char),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

async fn expect_success(response: hyper::Response<Incoming>, what: &str) -> Result<String, Error> {
    let status = response.status();
    let body = response.into_body().collect().await.map_err(|error| storage_error(anyhow!(error)))?.to_bytes();
    let text = String::from_utf8_lossy(&body).into_owned();
    match status.is_success() {
        true => Ok(text),
        false => Err(storage_error(anyhow!("{what} answered {status}: {text}"))),
    }
}

fn xml_value(xml: &str, tag: &str) -> Option<String> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(xml[start..end].to_owned())
}

pub fn storage_error(error: anyhow::Error) -> Error {
    Error::Unavailable("The object store did not answer as expected; retry in a moment.", error)
}

#[cfg(test)]
#[test]
fn dispositions_name_the_file_both_ways() {
    assert_eq!(
        disposition("Résumé \"v2\".pdf"),
        "attachment; filename=\"R_sum_ _v2_.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22v2%22.pdf"
    );
}
