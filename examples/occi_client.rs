//! An OCCI client session against a server (for example `occi_server`): discover the model,
//! create a virtual machine from a resource template, read it back, stop it, delete it.
//!
//! ```text
//! cargo run -p fedcloud-examples --example occi_client -- http://127.0.0.1:3000
//! ```

use occi_render_http::client::Client;
use occi_render_http::occi_model::{AttributeValue, CategoryClass};
use occi_render_http::{CategoryRendering, Message};

const INFRA: &str = "http://schemas.ogf.org/occi/infrastructure#";

/// The session; returns what it printed.
pub(crate) async fn session(client: &Client) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut log = Vec::new();
    let model = client.query_interface().await?;
    log.push(format!(
        "the server publishes {} categories",
        model.categories.len()
    ));

    let mut vm = Message::new();
    vm.categories.push(CategoryRendering::new(
        "compute",
        INFRA,
        CategoryClass::Kind,
    ));
    vm.categories.push(CategoryRendering::new(
        "small",
        "http://schemas.ogf.org/occi/infrastructure/compute/template/1.1#",
        CategoryClass::Mixin,
    ));
    vm.attributes.push((
        "occi.core.title".into(),
        AttributeValue::String("worker \"1\"; eu, west".into()),
    ));
    vm.attributes
        .push(("occi.compute.cores".into(), AttributeValue::Integer(2)));
    let location = client.create("/compute/", &vm).await?;
    log.push(format!("created {location}"));

    let back = client.get(&location).await?;
    let title = back
        .attribute("occi.core.title")
        .map(ToString::to_string)
        .unwrap_or_default();
    log.push(format!("title {title}"));

    let mut stop = Message::new();
    stop.categories.push(CategoryRendering::new(
        "stop",
        "http://schemas.ogf.org/occi/infrastructure/compute/action#",
        CategoryClass::Action,
    ));
    stop.attributes
        .push(("method".into(), AttributeValue::String("graceful".into())));
    client.trigger(&location, &stop).await?;
    log.push("stopped".to_owned());

    log.push(format!(
        "{} in /compute/",
        client.list("/compute/").await?.len()
    ));
    client.delete(&location).await?;
    log.push(format!(
        "deleted; {} left",
        client.list("/compute/").await?.len()
    ));
    Ok(log)
}

#[allow(
    dead_code,
    reason = "the example's entry point; the test includes this file as a module"
)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:3000".to_owned());
    for line in session(&Client::new(base)).await? {
        println!("{line}");
    }
    Ok(())
}
