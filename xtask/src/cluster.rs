//! A private PostgreSQL cluster for development and tests: its own data directory and
//! port, the three plane databases and roles from deploy/postgres/bootstrap.sql. Nothing
//! depends on a system service. Loopback connections are trusted; roles still separate
//! the admin (DDL, migrations) from the least-privilege runtime roles.

use crate::process::run;
use crate::tools;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
    /// Postgres refuses to run as root; as root, the cluster runs as the `postgres` user.
    run_as_postgres: bool,
}

impl Cluster {
    /// Creates a fresh cluster named `name` on `port`, starts it and bootstraps the planes.
    pub fn create(root: &Path, name: &str, port: u16) -> anyhow::Result<Cluster> {
        let bin = tools::ensure_postgres()?;
        let run_as_postgres = Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.starts_with(b"0\n"));
        let dir = data_root(root, run_as_postgres).join(name);
        if dir.exists() {
            // A cluster left running by an interrupted run must be stopped before it is replaced.
            let stale = Cluster { port, dir: dir.clone(), bin: bin.clone(), run_as_postgres };
            stale.stop();
            std::fs::remove_dir_all(&dir).with_context(|| format!("remove {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir)?;
        if run_as_postgres {
            run("chown", Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir))?;
        }
        let cluster = Cluster { port, dir, bin, run_as_postgres };
        println!("xtask: creating a PostgreSQL cluster in {} on port {port}", cluster.dir.display());
        run(
            "initdb",
            cluster
                .pg("initdb")
                .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "-D"])
                .arg(cluster.data()),
        )?;
        let settings = format!(
            "\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nmax_connections = 200\n\
             shared_buffers = 256MB\nlogging_collector = off\n",
            cluster.dir.display()
        );
        let conf = cluster.data().join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf)?;
        text.push_str(&settings);
        std::fs::write(&conf, text)?;
        run(
            "pg_ctl start",
            cluster
                .pg("pg_ctl")
                .args(["start", "-w", "-t", "60", "-D"])
                .arg(cluster.data())
                .arg("-l")
                .arg(cluster.dir.join("postgres.log")),
        )?;
        run(
            "bootstrap the planes",
            Command::new("psql")
                .args([
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-d",
                    "postgres",
                    "-p",
                    &port.to_string(),
                    "-f",
                ])
                .arg(root.join("deploy/postgres/bootstrap.sql")),
        )?;
        Ok(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("pg")
    }

    fn pg(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.run_as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    /// `postgres://<role>@127.0.0.1:<port>/<database>`
    pub fn url(&self, role: &str, database: &str) -> String {
        format!("postgres://{role}@127.0.0.1:{}/{database}", self.port)
    }

    /// The pid of the postmaster, whose children are the backends.
    pub fn postmaster_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.data().join("postmaster.pid")).ok()?.lines().next()?.trim().parse().ok()
    }

    fn stop(&self) {
        if self.data().join("postmaster.pid").exists() {
            let _ = self.pg("pg_ctl").args(["stop", "-m", "fast", "-w", "-D"]).arg(self.data()).status();
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
        println!("xtask: stopped PostgreSQL on port {}", self.port);
    }
}

/// `.local/` in the project, unless the `postgres` user cannot reach it (a private
/// temporary clone, say): then a directory under /var/tmp named after the project path.
fn data_root(root: &Path, run_as_postgres: bool) -> PathBuf {
    let local = root.join(".local");
    if !run_as_postgres {
        return local;
    }
    let reachable = Command::new("runuser")
        .args(["-u", "postgres", "--", "test", "-x"])
        .arg(root)
        .status()
        .is_ok_and(|s| s.success());
    if reachable {
        return local;
    }
    PathBuf::from(format!("/var/tmp/nclcdbaas-{:016x}", tools::fnv1a(root.as_os_str().as_encoded_bytes())))
}
