//! Helpers shared by the protocol test files (`protocol.rs`, `protocol_review.rs`).

use http::{HeaderValue, Method, Request, Response};

/// A compute creation in text/plain: the kind, a title and two cores.
pub(crate) const COMPUTE: &str = "Category: compute; scheme=\"http://schemas.ogf.org/occi/infrastructure#\"; class=\"kind\"\nX-OCCI-Attribute: occi.core.title=\"vm1\"\nX-OCCI-Attribute: occi.compute.cores=2\n";

/// A request with raw header values (so that tests can send bytes that are not visible ASCII).
pub(crate) fn request(
    method: Method,
    uri: &str,
    headers: &[(&str, &[u8])],
    body: &[u8],
) -> Request<Vec<u8>> {
    let mut r = Request::builder().method(method).uri(uri);
    for (n, v) in headers {
        r = r.header(*n, HeaderValue::from_bytes(v).unwrap());
    }
    r.body(body.to_vec()).unwrap()
}

/// A response body as text.
pub(crate) fn text(r: &Response<Vec<u8>>) -> String {
    String::from_utf8(r.body().clone()).unwrap()
}
