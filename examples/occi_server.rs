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
use occi_render_http::protocol::{HttpError, MemoryBackend, RouterOptions, error_response, handle};
use std::sync::{Arc, Mutex, PoisonError};

type Shared = (Arc<Mutex<MemoryBackend>>, RouterOptions);

/// The application: every path goes to the OCCI router.
pub(crate) fn app(backend: MemoryBackend) -> Router {
    app_with_options(backend, RouterOptions::default())
}

/// The application with router options: their
/// [`max_body_bytes`](occi_render_http::Limits::max_body_bytes) also caps how much of a
/// request body is read.
pub(crate) fn app_with_options(backend: MemoryBackend, options: RouterOptions) -> Router {
    Router::new()
        .fallback(occi)
        .with_state((Arc::new(Mutex::new(backend)), options))
}

/// A backend with the EGI model.
pub(crate) fn egi_backend() -> MemoryBackend {
    MemoryBackend::new(
        Model::infrastructure(OcciVersion::V1_2)
            .with_crtp()
            .with_egi_extensions(),
    )
}

async fn occi(State((backend, options)): State<Shared>, request: Request<Body>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let limit = options.limits.max_body_bytes;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        // Answered like every other error, with `Server: OCCI/1.2` (GFD.223 §5.3).
        return error_response(HttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body larger than {limit} bytes"),
        ))
        .map(Body::from);
    };
    let request = Request::from_parts(parts, bytes);
    let response = {
        let mut b = backend.lock().unwrap_or_else(PoisonError::into_inner);
        handle(&mut *b, &request, &options)
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
