//! A CDMI 2.0.0 and 1.1.1 server: axum in front of the `cdmi` server core, its objects in a
//! directory (or in memory without one).
//!
//! ```text
//! CDMI_TOKENS='s3cret=alice' cargo run -p fedcloud-examples --example cdmi_server -- 127.0.0.1:3001 /tmp/cdmi
//! curl -X PUT -H 'Authorization: Bearer s3cret' -H 'Content-Type: application/cdmi-container' \
//!      -d '{}' http://127.0.0.1:3001/cdmi/2.0.0/photos/
//! curl -X PUT -H 'Authorization: Bearer s3cret' -H 'Content-Type: image/png' \
//!      --data-binary @cat.png http://127.0.0.1:3001/cdmi/2.0.0/photos/cat.png
//! curl -H 'Authorization: Bearer s3cret' -H 'Accept: application/cdmi-object' \
//!      'http://127.0.0.1:3001/cdmi/2.0.0/photos/cat.png?metadata&objectID'
//! ```
//!
//! Two roots share one store: `/cdmi/2.0.0/` (2.x) and `/` (1.0.2 and 1.1.1 with
//! `X-CDMI-Specification-Version`). Who asks is a bearer token of `CDMI_TOKENS`
//! (`token=user,…`); without one, the anonymous. The first user named owns the root
//! container; other authenticated users may read and traverse what it holds. A demonstration of the wiring, not an authentication scheme: put it behind TLS
//! and a real identity provider (the site example uses X.509 proxies).

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, Response, StatusCode, header};
use cdmi::Version;
use cdmi::acl::{Ace, AceFlags, AceType, Acl, Mask};
use cdmi::http::Endpoint;
use cdmi::server::fs::FsStorage;
use cdmi::server::{Config, MemoryStorage, Principal, Server, Storage};
use std::collections::HashMap;
use std::sync::Arc;

/// The largest request body read (the server's own value limit applies below it).
const MAX_BODY: usize = 64 << 20;

struct App<S> {
    v2: Server<S>,
    v1: Server<S>,
    tokens: HashMap<String, String>,
}

/// The `token=user,…` list of `CDMI_TOKENS`.
pub(crate) fn tokens(spec: &str) -> HashMap<String, String> {
    spec.split(',')
        .filter_map(|p| p.split_once('='))
        .map(|(t, u)| (t.trim().to_owned(), u.trim().to_owned()))
        .collect()
}

/// The application over `storage` (shared by both roots; both name the same root
/// container), the root owned by `owner`.
pub(crate) fn app<S: Storage + Clone>(
    storage: S,
    owner: &str,
    tokens: HashMap<String, String>,
) -> Result<Router, cdmi::Error> {
    let config = |endpoint| {
        let mut c = Config::new(endpoint, 53_063);
        c.root_owner = owner.to_owned();
        c.capabilities = capabilities();
        // The default root ACL (the owner may do all, authenticated users read), plus
        // traversal for authenticated users, inherited by every container below.
        let mut acl = Acl::default_root();
        acl.0.push(Ace::new(
            AceType::Allow,
            "AUTHENTICATED@",
            AceFlags::OBJECT_INHERIT | AceFlags::CONTAINER_INHERIT,
            Mask::TRAVERSE_CONTAINER,
        ));
        c.root_acl = acl;
        c
    };
    let v2 = Server::new(storage.clone(), config(Endpoint::v2(Version::V2_0_0)))?;
    let v1 = Server::new(
        storage,
        config(Endpoint::v1("/", &[Version::V1_0_2, Version::V1_1_1])),
    )?;
    Ok(Router::new()
        .fallback(serve::<S>)
        .with_state(Arc::new(App { v2, v1, tokens })))
}

/// What this server offers, as its capability objects say.
fn capabilities() -> cdmi::capabilities::Capabilities {
    let t =
        |c: cdmi::capabilities::Capabilities, node: &str, name: &str| c.with(node, name, "true");
    let mut c = cdmi::capabilities::Capabilities::new();
    for (node, name) in [
        ("", "cdmi_object_access_by_ID"),
        ("", "cdmi_metadata_maxitems"),
        ("container/", "cdmi_list_children"),
        ("container/", "cdmi_create_dataobject"),
        ("container/", "cdmi_create_container"),
        ("dataobject/", "cdmi_read_value"),
        ("dataobject/", "cdmi_read_value_range"),
        ("dataobject/", "cdmi_modify_value"),
        ("dataobject/", "cdmi_modify_value_range"),
        ("dataobject/", "cdmi_delete_dataobject"),
    ] {
        c = match t(c.clone(), node, name) {
            Ok(next) => next,
            // A capability the registry types otherwise (a number): left out, not guessed.
            Err(_) => c,
        };
    }
    c
}

async fn serve<S: Storage>(
    State(app): State<Arc<App<S>>>,
    request: Request<Body>,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        let mut r = Response::new(Body::from(format!(
            "request body larger than {MAX_BODY} bytes\n"
        )));
        *r.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return r;
    };
    let who = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| app.tokens.get(t.trim()))
        .map_or_else(Principal::anonymous, |u| Principal::user(u));
    let server = if parts
        .uri
        .path()
        .starts_with(app.v2.config().endpoint.root())
    {
        &app.v2
    } else {
        &app.v1
    };
    let answer = server
        .handle(&who, Request::from_parts(parts, bytes.to_vec()))
        .await;
    answer.map(Body::from)
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3001".into());
    let dir = args.next();
    let tokens = tokens(&std::env::var("CDMI_TOKENS").unwrap_or_default());
    let owner = std::env::var("CDMI_TOKENS")
        .ok()
        .and_then(|s| {
            s.split(',')
                .next()
                .and_then(|p| p.split_once('='))
                .map(|(_, u)| u.trim().to_owned())
        })
        .unwrap_or_else(|| "administrator".into());
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let app = match dir {
            Some(d) => app(Arc::new(FsStorage::new(d)?), &owner, tokens)?,
            None => app(Arc::new(MemoryStorage::new()), &owner, tokens)?,
        };
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        eprintln!(
            "CDMI on http://{0}/cdmi/2.0.0/ and http://{0}/ (1.x)",
            listener.local_addr()?
        );
        axum::serve(listener, app).await?;
        Ok(())
    })
}
