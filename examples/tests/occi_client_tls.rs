//! The OCCI client over HTTPS (feature `tls`, which turns on `occi-render-http/client-rustls`)
//! against the reference TLS server, `openssl s_server -WWW`, serving an entity rendering
//! as a file with a certificate of a private test CA made by `openssl` for the occasion.
//! Skips with a notice when `openssl` is absent (CI installs it and sets
//! `FEDCLOUD_REQUIRE_TOOLS=1`).
#![cfg(feature = "tls")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use fedcloud_conformance::reference_tool;
use occi_render_http::client::{Client, ClientError};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn openssl(tool: &Path, dir: &Path, args: &[&str]) {
    let out = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A test CA and a `localhost` / 127.0.0.1 server certificate it signed, in `dir`.
fn certificates(tool: &Path, dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=fedcloud test CA",
    ]);
    openssl(tool, dir, &ca);
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "key.pem",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(tool, dir, &csr);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        tool,
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "cert.pem",
            "-days",
            "1",
            "-extfile",
            "ext.cnf",
        ],
    );
}

/// `openssl s_server -WWW` in `dir` on a free port, up and accepting.
fn serve(tool: &Path, dir: &Path) -> (KillOnDrop, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(tool)
        .args([
            "s_server", "-key", "key.pem", "-cert", "cert.pem", "-WWW", "-quiet",
        ])
        .arg("-accept")
        .arg(format!("127.0.0.1:{port}"))
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let guard = KillOnDrop(child);
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "s_server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (guard, port)
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn client_reads_an_entity_over_https() {
    let Some(tool) = reference_tool("openssl") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("fedcloud-occi-tls-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("compute")).unwrap();
    std::fs::write(
        dir.join("compute/1"),
        "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\n\
         X-OCCI-Attribute: occi.core.id=\"1\"\n\
         X-OCCI-Attribute: occi.core.title=\"over TLS\"\n",
    )
    .unwrap();
    certificates(&tool, &dir);
    let (_server, port) = serve(&tool, &dir);

    let ca = reqwest::Certificate::from_pem(&std::fs::read(dir.join("ca.pem")).unwrap()).unwrap();
    let http = reqwest::Client::builder()
        .add_root_certificate(ca)
        .build()
        .unwrap();
    let client = Client::with_client(http, format!("https://localhost:{port}"));
    let vm = client.get("/compute/1").await.unwrap();
    assert_eq!(
        vm.attribute("occi.core.title").and_then(|v| v.as_str()),
        Some("over TLS")
    );
    assert_eq!(vm.kind().map(|k| k.term.as_str()), Some("compute"));

    // Without the test CA among its roots, the client refuses the server.
    let stranger = Client::new(format!("https://localhost:{port}"));
    match stranger.get("/compute/1").await {
        Err(ClientError::Transport(e)) => assert!(e.is_connect() || e.is_request(), "{e}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
