//! An OCCI 1.2 server: axum in front of `occi_render_http::protocol::handle` over the
//! in-memory backend with the Infrastructure 1.2, CRTP and EGI model.
//!
//! ```text
//! cargo run -p fedcloud-examples --example occi_server -- 127.0.0.1:3000
//! curl -H 'Accept: text/plain' http://127.0.0.1:3000/-/
//! ```

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, Response, StatusCode};
use occi_render_http::occi_model::{Model, OcciVersion};
use occi_render_http::protocol::{MemoryBackend, RouterOptions, handle};
use std::sync::{Arc, Mutex, PoisonError};

type Shared = Arc<Mutex<MemoryBackend>>;

/// The application: every path goes to the OCCI router.
pub(crate) fn app(backend: MemoryBackend) -> Router {
    Router::new()
        .fallback(occi)
        .with_state(Arc::new(Mutex::new(backend)))
}

/// A backend with the EGI model.
pub(crate) fn egi_backend() -> MemoryBackend {
    MemoryBackend::new(
        Model::infrastructure(OcciVersion::V1_2)
            .with_crtp()
            .with_egi_extensions(),
    )
}

async fn occi(State(backend): State<Shared>, request: Request<Body>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        let mut r = Response::new(Body::from("request body too large\n"));
        *r.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return r;
    };
    let request = Request::from_parts(parts, bytes);
    let response = {
        let mut b = backend.lock().unwrap_or_else(PoisonError::into_inner);
        handle(&mut *b, &request, &RouterOptions::default())
    };
    response.map(Body::from)
}

#[allow(
    dead_code,
    reason = "the example's entry point; the test includes this file as a module"
)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!(
        "OCCI/1.2 server listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app(egi_backend())).await?;
    Ok(())
}
