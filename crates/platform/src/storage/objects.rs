//! Blob bytes through `object_store`: the local filesystem by default (`<data-dir>/blobs`,
//! owner-only, synced before a blob is acknowledged), S3-compatible object storage for a
//! province (every replica reads and writes the same bucket).
//!
//! Keys: `<sha256>` for a verified plaintext blob, `partial/<kiosk>-<sha256>` for the sealed
//! bytes of an upload still in progress (so a resumed upload may land on another replica).

use std::path::PathBuf;
use std::sync::Arc;

use object_store::ObjectStore;
use object_store::path::Path as ObjectPath;

use super::{Bridge, Result, StoreError};

/// Where blobs go, from `--blobs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobsUrl {
    /// A directory (`<data-dir>/blobs` when no flag; or `file:///path`, or a plain path).
    Local(Option<PathBuf>),
    /// `s3://bucket[/prefix]`.
    S3 {
        /// The bucket.
        bucket: String,
        /// A key prefix inside it (empty for none).
        prefix: String,
    },
}

impl BlobsUrl {
    /// Parses `--blobs`.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            BlobsUrl::S3 {
                bucket: bucket.to_owned(),
                prefix: prefix.trim_matches('/').to_owned(),
            }
        } else if let Some(path) = text.strip_prefix("file://") {
            BlobsUrl::Local(Some(path.into()))
        } else if text.is_empty() {
            BlobsUrl::Local(None)
        } else {
            BlobsUrl::Local(Some(text.into()))
        }
    }
}

/// How to reach an S3-compatible service (flags, else the `AWS_*` environment).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct S3Settings {
    /// `http(s)://host:port` of a non-AWS service (SeaweedFS, Ceph RGW, MinIO, a cloud's OSS).
    pub endpoint: Option<String>,
    /// The region (default `us-east-1`; most S3-compatible services ignore it).
    pub region: Option<String>,
    /// Access key id (else `AWS_ACCESS_KEY_ID`).
    pub access_key_id: Option<String>,
    /// Secret access key (else `AWS_SECRET_ACCESS_KEY`).
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// The blob store.
pub struct BlobStore {
    store: Arc<dyn ObjectStore>,
    /// The directory of the local store (its files are synced and made owner-only).
    local_root: Option<PathBuf>,
    bridge: Bridge,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStore")
            .field("store", &self.store.to_string())
            .finish_non_exhaustive()
    }
}

fn obj_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Objects(e.to_string())
}

/// Makes `dir` owner-only (0700).
pub(crate) fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

impl BlobStore {
    /// Opens the store `url` points at (`data_dir/blobs` for the local default).
    pub fn open(url: &BlobsUrl, s3: &S3Settings, data_dir: &std::path::Path) -> Result<Self> {
        let bridge = Bridge::new("platform-blobs", 2)?;
        match url {
            BlobsUrl::Local(dir) => {
                let root = dir.clone().unwrap_or_else(|| data_dir.join("blobs"));
                private_dir(&root)?;
                private_dir(&root.join("partial"))?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&root)
                    .map_err(obj_err)?;
                Ok(Self {
                    store: Arc::new(store),
                    local_root: Some(root),
                    bridge,
                })
            }
            BlobsUrl::S3 { bucket, prefix } => {
                // Bounded: a store that does not answer fails the request (503, the kiosk
                // retries later) instead of holding it for minutes.
                let retry = object_store::RetryConfig {
                    max_retries: 3,
                    retry_timeout: std::time::Duration::from_secs(20),
                    ..Default::default()
                };
                let client = object_store::ClientOptions::new()
                    .with_timeout(std::time::Duration::from_secs(30))
                    .with_connect_timeout(std::time::Duration::from_secs(5));
                let mut builder = object_store::aws::AmazonS3Builder::from_env()
                    .with_retry(retry)
                    .with_client_options(client)
                    .with_bucket_name(bucket)
                    .with_region(s3.region.clone().unwrap_or_else(|| "us-east-1".into()));
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_virtual_hosted_style_request(false);
                }
                if let Some(id) = &s3.access_key_id {
                    builder = builder.with_access_key_id(id);
                }
                if let Some(secret) = &s3.secret_access_key {
                    builder = builder.with_secret_access_key(secret);
                }
                let store: Arc<dyn ObjectStore> = Arc::new(builder.build().map_err(obj_err)?);
                let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
                    store
                } else {
                    Arc::new(object_store::prefix::PrefixStore::new(
                        store,
                        prefix.as_str(),
                    ))
                };
                Ok(Self {
                    store,
                    local_root: None,
                    bridge,
                })
            }
        }
    }

    /// `"local"` or `"s3"`.
    pub fn kind(&self) -> &'static str {
        if self.local_root.is_some() {
            "local"
        } else {
            "s3"
        }
    }

    /// The object's bytes, `None` when absent.
    pub fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let store = Arc::clone(&self.store);
        let path = ObjectPath::from(key);
        self.bridge
            .run(async move {
                match store.get(&path).await {
                    Ok(got) => got.bytes().await.map(|b| Some(b.to_vec())),
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(e) => Err(e),
                }
            })?
            .map_err(obj_err)
    }

    /// The object's size, `None` when absent.
    pub fn size(&self, key: &str) -> Result<Option<u64>> {
        let store = Arc::clone(&self.store);
        let path = ObjectPath::from(key);
        self.bridge
            .run(async move {
                match store.head(&path).await {
                    Ok(meta) => Ok(Some(meta.size)),
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(e) => Err(e),
                }
            })?
            .map_err(obj_err)
    }

    /// Writes the whole object (atomically: readers see the old or the new bytes), durable
    /// when this returns.
    pub fn put(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        let store = Arc::clone(&self.store);
        let path = ObjectPath::from(key);
        self.bridge
            .run(async move { store.put(&path, bytes.into()).await })?
            .map_err(obj_err)?;
        if let Some(root) = &self.local_root {
            // LocalFileSystem renames a temporary file into place; make it owner-only and sync
            // it and its directory before the platform acknowledges the blob.
            let file = root.join(key);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
            }
            std::fs::File::open(&file)?.sync_all()?;
            if let Some(dir) = file.parent() {
                std::fs::File::open(dir)?.sync_all()?;
            }
        }
        Ok(())
    }

    /// Removes the object (absent is fine).
    pub fn delete(&self, key: &str) -> Result<()> {
        let store = Arc::clone(&self.store);
        let path = ObjectPath::from(key);
        self.bridge
            .run(async move {
                match store.delete(&path).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                    Err(e) => Err(e),
                }
            })?
            .map_err(obj_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_urls_pick_the_store() {
        assert_eq!(BlobsUrl::parse(""), BlobsUrl::Local(None));
        assert_eq!(
            BlobsUrl::parse("s3://tongban/hall-1/"),
            BlobsUrl::S3 {
                bucket: "tongban".into(),
                prefix: "hall-1".into()
            }
        );
        assert_eq!(
            BlobsUrl::parse("file:///srv/blobs"),
            BlobsUrl::Local(Some("/srv/blobs".into()))
        );
    }

    #[test]
    fn the_local_store_round_trips_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            BlobStore::open(&BlobsUrl::Local(None), &S3Settings::default(), dir.path()).unwrap();
        assert_eq!(store.get("a").unwrap(), None);
        store.put("a", b"hello".to_vec()).unwrap();
        assert_eq!(store.get("a").unwrap().as_deref(), Some(&b"hello"[..]));
        assert_eq!(store.size("a").unwrap(), Some(5));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: PathBuf| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(dir.path().join("blobs/a")), 0o600);
            assert_eq!(mode(dir.path().join("blobs")), 0o700);
        }
        store.delete("a").unwrap();
        store.delete("a").unwrap();
        assert_eq!(store.get("a").unwrap(), None);
    }
}
