//! The property of the `cdmi_server` fuzz target, shared with `cargo test`.

use cdmi::http::Endpoint;
use cdmi::object::{Body, Mode, Object};
use cdmi::server::{Config, MemoryStorage, Principal, Server};
use cdmi::{ObjectType, Version};
use std::future::Future;
use std::task::{Context, Poll, Waker};

/// Runs a future of the in-memory server, which never waits.
fn ready<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1_000 {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("the in-memory server waited");
}

/// One request of the input: `METHOD PATH` on the first line, header lines, an empty line,
/// the body; requests are separated by `\n--\n`. A method line starting with `~` is sent by
/// `bob` (not the root's owner), others by `alice`.
fn request(chunk: &[u8]) -> Option<(bool, http::Request<Vec<u8>>)> {
    let text = std::str::from_utf8(chunk).ok()?;
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let first = lines.next()?;
    let (bob, first) = match first.strip_prefix('~') {
        Some(rest) => (true, rest),
        None => (false, first),
    };
    let (method, path) = first.split_once(' ')?;
    let mut b = http::Request::builder().method(method).uri(path);
    for line in lines {
        let (n, v) = line.split_once(':')?;
        b = b.header(n.trim(), v.trim());
    }
    b.body(body.as_bytes().to_vec()).ok().map(|r| (bob, r))
}

/// Request sequences against a 2.x and a 1.x server in memory: no panic; every status is
/// one the core answers; every CDMI answer body reads back strictly as its type; afterwards
/// every child the root lists (and those of its containers) can be read by the owner — no
/// name is left without its object.
pub(crate) fn cdmi_server(data: &[u8]) {
    for endpoint in [
        Endpoint::v2(Version::V2_0_0),
        Endpoint::v1("/", &[Version::V1_0_2, Version::V1_1_1]),
    ] {
        let root = endpoint.root().to_owned();
        let mut config = Config::new(endpoint.clone(), 53_063);
        config.root_owner = "alice".into();
        config.max_tree_objects = 64;
        config.max_value_bytes = 1 << 16;
        let server = Server::new(MemoryStorage::new(), config).unwrap();
        let (alice, bob) = (Principal::user("alice"), Principal::user("bob"));
        for chunk in data.split(|&b| b == 0).take(32) {
            let Some((as_bob, req)) = request(chunk) else {
                continue;
            };
            let who = if as_bob { &bob } else { &alice };
            let r = ready(server.handle(who, req));
            let s = r.status().as_u16();
            assert!(
                [
                    200, 201, 204, 206, 302, 400, 401, 403, 404, 405, 406, 409, 413, 416, 501
                ]
                .contains(&s),
                "status {s}"
            );
            let t = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| ObjectType::ALL.into_iter().find(|t| t.media_type() == v));
            if let Some(t) = t
                && !r.body().is_empty()
            {
                let text = std::str::from_utf8(r.body()).unwrap();
                if let Err(e) = Object::parse(text, t, Mode::Strict) {
                    panic!("answer {s} does not read back as {t}: {e}\n{text}");
                }
            }
        }
        // Every name the root and its containers list leads to an object.
        let mut todo = vec![String::new()];
        let mut seen = 0;
        while let Some(dir) = todo.pop() {
            seen += 1;
            if seen > 200 {
                break;
            }
            let get = |path: &str, accept: &str| {
                http::Request::get(format!("{root}{path}"))
                    .header("Accept", accept)
                    .header("X-CDMI-Specification-Version", "1.1.1")
                    .body(Vec::new())
                    .unwrap()
            };
            let uri_path = |name: &str| {
                name.bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                            char::from(b).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect::<String>()
            };
            let get = |path: &str, accept: &str| {
                let mut r = get(path, accept);
                if endpoint.dialect() == cdmi::query::Dialect::V2 {
                    r.headers_mut().remove("X-CDMI-Specification-Version");
                }
                r
            };
            let r = ready(server.handle(&alice, get(&dir, "application/cdmi-container")));
            if r.status() != 200 {
                assert!(
                    [302, 403].contains(&r.status().as_u16()),
                    "{dir:?}: {}",
                    r.status()
                );
                continue;
            }
            let o = Object::parse(
                std::str::from_utf8(r.body()).unwrap(),
                ObjectType::Container,
                Mode::Strict,
            )
            .unwrap()
            .object;
            let Body::Container(c) = &o.body else {
                unreachable!()
            };
            for child in c.children.clone().unwrap_or_default() {
                let path = format!("{dir}{}", uri_path(&child));
                if child.ends_with('/') {
                    todo.push(path);
                } else {
                    let r = ready(server.handle(&alice, get(&path, "*/*")));
                    assert!(
                        [200, 302, 403].contains(&r.status().as_u16()),
                        "listed {path:?} answers {}",
                        r.status()
                    );
                }
            }
        }
    }
}
