//! The built-in model definitions: OCCI Core, Infrastructure 1.1 and 1.2, the Compute Resource
//! Templates Profile, and the extensions EGI Federated Cloud sites publish.
//!
//! Sources: GFD.183 / GFD.221 (core tables 6–8), GFD.184 / GFD.224 (infrastructure tables),
//! GFD.222 (CRTP §7), rOCCI-core 5 `infrastructure_ext` and the EGI FedCloud mixins
//! (availability zones, OpenStack credentials and user data, default connectivity).

use crate::state::{StateMachine, Transition};
use crate::{
    Action, AttributeDefinition, AttributeName, AttributeType as T, CategoryId, Kind, Mixin, Model,
    OcciVersion,
};

/// Type identifiers of the built-in categories, for look-ups
/// (`model.kind(ids::COMPUTE)`) and for building entities (`ids::COMPUTE.parse()?`).
pub mod ids {
    /// `core#entity`, the abstract root kind.
    pub const ENTITY: &str = "http://schemas.ogf.org/occi/core#entity";
    /// `core#resource`.
    pub const RESOURCE: &str = "http://schemas.ogf.org/occi/core#resource";
    /// `core#link`.
    pub const LINK: &str = "http://schemas.ogf.org/occi/core#link";
    /// `infrastructure#compute`.
    pub const COMPUTE: &str = "http://schemas.ogf.org/occi/infrastructure#compute";
    /// `infrastructure#storage`.
    pub const STORAGE: &str = "http://schemas.ogf.org/occi/infrastructure#storage";
    /// `infrastructure#network`.
    pub const NETWORK: &str = "http://schemas.ogf.org/occi/infrastructure#network";
    /// `infrastructure#storagelink`.
    pub const STORAGELINK: &str = "http://schemas.ogf.org/occi/infrastructure#storagelink";
    /// `infrastructure#networkinterface`.
    pub const NETWORKINTERFACE: &str =
        "http://schemas.ogf.org/occi/infrastructure#networkinterface";
    /// `infrastructure/network#ipnetwork`.
    pub const IPNETWORK: &str = "http://schemas.ogf.org/occi/infrastructure/network#ipnetwork";
    /// `infrastructure/networkinterface#ipnetworkinterface`.
    pub const IPNETWORKINTERFACE: &str =
        "http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface";
    /// `infrastructure#os_tpl`, the root of OS templates.
    pub const OS_TPL: &str = "http://schemas.ogf.org/occi/infrastructure#os_tpl";
    /// `infrastructure#resource_tpl`, the root of resource templates.
    pub const RESOURCE_TPL: &str = "http://schemas.ogf.org/occi/infrastructure#resource_tpl";
    /// `infrastructure/credentials#ssh_key` (1.2).
    pub const SSH_KEY: &str = "http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key";
    /// `infrastructure/compute#user_data` (1.2).
    pub const USER_DATA: &str = "http://schemas.ogf.org/occi/infrastructure/compute#user_data";
    /// Compute actions: `start`.
    pub const COMPUTE_START: &str =
        "http://schemas.ogf.org/occi/infrastructure/compute/action#start";
    /// Compute actions: `stop` (method graceful / acpioff / poweroff).
    pub const COMPUTE_STOP: &str = "http://schemas.ogf.org/occi/infrastructure/compute/action#stop";
    /// Compute actions: `restart` (method graceful / warm / cold).
    pub const COMPUTE_RESTART: &str =
        "http://schemas.ogf.org/occi/infrastructure/compute/action#restart";
    /// Compute actions: `suspend` (method hibernate / suspend).
    pub const COMPUTE_SUSPEND: &str =
        "http://schemas.ogf.org/occi/infrastructure/compute/action#suspend";
    /// Compute actions: `save` (1.2; method hot / deferred, name).
    pub const COMPUTE_SAVE: &str = "http://schemas.ogf.org/occi/infrastructure/compute/action#save";
    /// Network actions: `up`.
    pub const NETWORK_UP: &str = "http://schemas.ogf.org/occi/infrastructure/network/action#up";
    /// Network actions: `down`.
    pub const NETWORK_DOWN: &str = "http://schemas.ogf.org/occi/infrastructure/network/action#down";
    /// Storage actions: `online`.
    pub const STORAGE_ONLINE: &str =
        "http://schemas.ogf.org/occi/infrastructure/storage/action#online";
    /// Storage actions: `offline`.
    pub const STORAGE_OFFLINE: &str =
        "http://schemas.ogf.org/occi/infrastructure/storage/action#offline";
    /// Storage actions: `backup` (1.1 only).
    pub const STORAGE_BACKUP: &str =
        "http://schemas.ogf.org/occi/infrastructure/storage/action#backup";
    /// Storage actions: `snapshot` (1.1 only).
    pub const STORAGE_SNAPSHOT: &str =
        "http://schemas.ogf.org/occi/infrastructure/storage/action#snapshot";
    /// Storage actions: `resize` (1.1 only).
    pub const STORAGE_RESIZE: &str =
        "http://schemas.ogf.org/occi/infrastructure/storage/action#resize";
    /// The scheme of the CRTP templates (GFD.222 §2.1).
    pub const CRTP_SCHEME: &str =
        "http://schemas.ogf.org/occi/infrastructure/compute/template/1.1#";
    /// CRTP `small` (1 core, 1 GiB, 10 GiB ephemeral).
    pub const CRTP_SMALL: &str =
        "http://schemas.ogf.org/occi/infrastructure/compute/template/1.1#small";
    /// EGI FedCloud availability zones (provider zones depend on it).
    pub const AVAILABILITY_ZONE: &str =
        "http://fedcloud.egi.eu/occi/infrastructure#availability_zone";
    /// OpenStack (ooi) SSH public key mixin.
    pub const OPENSTACK_PUBLIC_KEY: &str =
        "http://schemas.openstack.org/instance/credentials#public_key";
    /// OpenStack (ooi) user-data mixin.
    pub const OPENSTACK_USER_DATA: &str = "http://schemas.openstack.org/compute/instance#user_data";
    /// rOCCI `infrastructure_ext`: IP reservation kind.
    pub const IPRESERVATION: &str = "http://schemas.ogf.org/occi/infrastructure#ipreservation";
    /// rOCCI `infrastructure_ext`: security group kind.
    pub const SECURITYGROUP: &str = "http://schemas.ogf.org/occi/infrastructure#securitygroup";
    /// rOCCI `infrastructure_ext`: security group link kind.
    pub const SECURITYGROUPLINK: &str =
        "http://schemas.ogf.org/occi/infrastructure#securitygrouplink";
}

fn cid(s: &str) -> CategoryId {
    CategoryId::known(s)
}

fn attr(name: &str, t: T) -> AttributeDefinition {
    AttributeDefinition::new(AttributeName::known(name), t)
}

fn with_pattern(a: AttributeDefinition, pattern: &str) -> AttributeDefinition {
    match pattern.parse() {
        Ok(p) => a.with_pattern(p),
        Err(_) => a,
    }
}

const INFRA: &str = "http://schemas.ogf.org/occi/infrastructure#";

fn state_attr(kind: &str, states: &[&str], initial: &str) -> AttributeDefinition {
    attr(&format!("occi.{kind}.state"), T::enumeration(states))
        .with_required(true)
        .with_default(initial)
        .with_description("Current state of the instance")
}

fn state_message(kind: &str) -> AttributeDefinition {
    attr(&format!("occi.{kind}.state.message"), T::String)
        .with_description("Human-readable explanation of the current state")
}

fn method(values: &[&str], description: &str) -> AttributeDefinition {
    attr("method", T::enumeration(values))
        .with_mutable(true)
        .with_description(description)
}

fn machine(
    kind: &str,
    attribute: &str,
    states: &[&str],
    initial: &str,
    failure: Option<&str>,
    transitions: &[(&str, &str, &str)],
) -> StateMachine {
    StateMachine::new(
        cid(kind),
        AttributeName::known(attribute),
        states.iter().map(|s| (*s).to_owned()).collect(),
        initial.to_owned(),
        failure.map(str::to_owned),
        transitions
            .iter()
            .map(|(from, action, to)| Transition {
                from: (*from).to_owned(),
                action: cid(action),
                to: (*to).to_owned(),
            })
            .collect(),
    )
}

impl Model {
    /// OCCI Core: the `entity`, `resource` and `link` kinds (GFD.183 §5 / GFD.221 §4.5).
    #[must_use]
    pub fn core(version: OcciVersion) -> Self {
        let mut m = Self::empty(version);
        m.insert_kind(
            Kind::new(cid(ids::ENTITY))
                .with_title("Entity")
                .with_attribute(
                    attr("occi.core.id", T::Uri)
                        .with_required(true)
                        .with_description("Unique identifier of the instance"),
                )
                .with_attribute(
                    attr("occi.core.title", T::String)
                        .with_mutable(true)
                        .with_description("Display name of the instance"),
                ),
        );
        m.insert_kind(
            Kind::new(cid(ids::RESOURCE))
                .with_title("Resource")
                .with_parent(cid(ids::ENTITY))
                .with_location("/resource/")
                .with_attribute(
                    attr("occi.core.summary", T::String)
                        .with_mutable(true)
                        .with_description("Summarising description of the resource"),
                ),
        );
        let mut link = Kind::new(cid(ids::LINK))
            .with_title("Link")
            .with_parent(cid(ids::ENTITY))
            .with_location("/link/")
            .with_attribute(
                attr("occi.core.source", T::Uri)
                    .with_mutable(true)
                    .with_required(true)
                    .with_description("The resource the link originates from"),
            )
            .with_attribute(
                attr("occi.core.target", T::Uri)
                    .with_mutable(true)
                    .with_required(true)
                    .with_description("The resource the link points to"),
            );
        if version == OcciVersion::V1_2 {
            link = link.with_attribute(
                attr("occi.core.target.kind", T::Uri)
                    .with_mutable(true)
                    .with_description("The kind of the target, if applicable"),
            );
        }
        m.insert_kind(link);
        m
    }

    /// OCCI Core plus Infrastructure of `version` (GFD.184 for 1.1, GFD.224 for 1.2), with the
    /// state machines of the compute, network, storage and link kinds.
    #[must_use]
    pub fn infrastructure(version: OcciVersion) -> Self {
        let mut m = Self::core(version);
        m.add_infrastructure();
        m
    }

    fn add_infrastructure(&mut self) {
        let v12 = self.version() == OcciVersion::V1_2;
        let actions = |scheme: &str| INFRA.replace('#', &format!("/{scheme}/action#"));

        // ---- compute (GFD.224 §3.1; GFD.184 §3.1) -------------------------------------------
        let ca = actions("compute");
        self.insert_action(
            Action::new(cid(&format!("{ca}start"))).with_title("Start the compute instance"),
        );
        self.insert_action(
            Action::new(cid(&format!("{ca}stop")))
                .with_title("Stop the compute instance")
                .with_attribute(method(&["graceful", "acpioff", "poweroff"], "Stop method")),
        );
        self.insert_action(
            Action::new(cid(&format!("{ca}restart")))
                .with_title("Restart the compute instance")
                .with_attribute(method(&["graceful", "warm", "cold"], "Restart method")),
        );
        self.insert_action(
            Action::new(cid(&format!("{ca}suspend")))
                .with_title("Suspend the compute instance")
                .with_attribute(method(&["hibernate", "suspend"], "Suspend method")),
        );
        if v12 {
            self.insert_action(
                Action::new(cid(&format!("{ca}save")))
                    .with_title(
                        "Save an independent copy of the compute instance as an OS template",
                    )
                    .with_attribute(method(&["hot", "deferred"], "Save method"))
                    .with_attribute(
                        attr("name", T::String)
                            .with_mutable(true)
                            .with_description("Name of the copy"),
                    ),
            );
        }
        let mut compute = Kind::new(cid(ids::COMPUTE))
            .with_title("Compute Resource")
            .with_parent(cid(ids::RESOURCE))
            .with_location("/compute/")
            .with_attribute(
                attr("occi.compute.architecture", T::enumeration(&["x86", "x64"]))
                    .with_mutable(true)
                    .with_description("CPU architecture of the instance"),
            )
            .with_attribute(
                attr("occi.compute.cores", T::Integer)
                    .with_mutable(true)
                    .with_description("Number of virtual CPU cores"),
            )
            .with_attribute(
                attr("occi.compute.hostname", T::String)
                    .with_mutable(true)
                    .with_description("Fully qualified DNS host name"),
            );
        compute = if v12 {
            compute.with_attribute(
                attr("occi.compute.share", T::Integer)
                    .with_mutable(true)
                    .with_description("Relative number of CPU shares"),
            )
        } else {
            compute.with_attribute(
                attr("occi.compute.speed", T::Number)
                    .with_mutable(true)
                    .with_description("CPU clock frequency in GHz"),
            )
        };
        compute = compute.with_attribute(
            attr("occi.compute.memory", T::Number)
                .with_mutable(true)
                .with_description("Maximum RAM in GiB"),
        );
        let states: &[&str] = if v12 {
            &["active", "inactive", "suspended", "error"]
        } else {
            &["active", "inactive", "suspended"]
        };
        compute = compute.with_attribute(state_attr("compute", states, "inactive"));
        if v12 {
            compute = compute.with_attribute(state_message("compute"));
        }
        for a in ["start", "stop", "restart", "suspend"] {
            compute = compute.with_action(cid(&format!("{ca}{a}")));
        }
        if v12 {
            compute = compute.with_action(cid(&format!("{ca}save")));
        }
        self.insert_kind(compute);
        let mut compute_transitions = vec![
            ("inactive", ids::COMPUTE_START, "active"),
            ("active", ids::COMPUTE_STOP, "inactive"),
            ("active", ids::COMPUTE_RESTART, "active"),
            ("active", ids::COMPUTE_SUSPEND, "suspended"),
            ("suspended", ids::COMPUTE_START, "active"),
        ];
        if v12 {
            compute_transitions.push(("active", ids::COMPUTE_SAVE, "active"));
        }
        self.machines.push(machine(
            ids::COMPUTE,
            "occi.compute.state",
            states,
            "inactive",
            v12.then_some("error"),
            &compute_transitions,
        ));

        // ---- network (GFD.224 §3.2) ---------------------------------------------------------
        let na = actions("network");
        self.insert_action(Action::new(cid(&format!("{na}up"))).with_title("Activate the network"));
        self.insert_action(
            Action::new(cid(&format!("{na}down"))).with_title("Deactivate the network"),
        );
        let states: &[&str] = if v12 {
            &["active", "inactive", "error"]
        } else {
            &["active", "inactive"]
        };
        let mut network = Kind::new(cid(ids::NETWORK))
            .with_title("Network Resource")
            .with_parent(cid(ids::RESOURCE))
            .with_location("/network/")
            .with_attribute(
                attr("occi.network.vlan", T::Integer)
                    .with_mutable(true)
                    .with_range(0.0, 4095.0)
                    .with_description("802.1q VLAN identifier"),
            )
            .with_attribute(with_pattern(
                attr("occi.network.label", T::String)
                    .with_mutable(true)
                    .with_description("Tag-based VLAN label (a token)"),
                // RFC 7230 §3.2.6 token.
                r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
            ))
            .with_attribute(state_attr("network", states, "inactive"));
        if v12 {
            network = network.with_attribute(state_message("network"));
        }
        network = network
            .with_action(cid(&format!("{na}up")))
            .with_action(cid(&format!("{na}down")));
        self.insert_kind(network);
        self.machines.push(machine(
            ids::NETWORK,
            "occi.network.state",
            states,
            "inactive",
            v12.then_some("error"),
            &[
                ("inactive", ids::NETWORK_UP, "active"),
                ("active", ids::NETWORK_DOWN, "inactive"),
            ],
        ));
        let mut ipnetwork = Mixin::new(cid(ids::IPNETWORK))
            .with_title("IP Network Mixin")
            .with_location("/mixin/ipnetwork/")
            .with_attribute(
                attr("occi.network.address", T::Cidr)
                    .with_mutable(true)
                    .with_description("IP network address range in CIDR notation"),
            )
            .with_attribute(
                attr("occi.network.gateway", T::IpAddress)
                    .with_mutable(true)
                    .with_description("IP address of the gateway"),
            )
            .with_attribute(
                attr(
                    "occi.network.allocation",
                    T::enumeration(&["dynamic", "static"]),
                )
                .with_mutable(true)
                .with_description("Address allocation mechanism"),
            );
        if v12 {
            ipnetwork = ipnetwork.with_applies(cid(ids::NETWORK));
        }
        self.insert_mixin(ipnetwork);

        // ---- storage (GFD.224 §3.3; GFD.184 §3.3) -------------------------------------------
        let sa = actions("storage");
        self.insert_action(
            Action::new(cid(&format!("{sa}online"))).with_title("Bring the storage online"),
        );
        self.insert_action(
            Action::new(cid(&format!("{sa}offline"))).with_title("Take the storage offline"),
        );
        if !v12 {
            self.insert_action(
                Action::new(cid(&format!("{sa}backup"))).with_title("Back the storage up"),
            );
            self.insert_action(
                Action::new(cid(&format!("{sa}snapshot"))).with_title("Snapshot the storage"),
            );
            self.insert_action(
                Action::new(cid(&format!("{sa}resize")))
                    .with_title("Resize the storage")
                    .with_attribute(
                        attr("size", T::Number)
                            .with_mutable(true)
                            .with_required(true)
                            .with_description("New size in GiB"),
                    ),
            );
        }
        let states: &[&str] = if v12 {
            &["online", "offline", "error"]
        } else {
            &[
                "online", "offline", "backup", "snapshot", "resize", "degraded",
            ]
        };
        let mut storage = Kind::new(cid(ids::STORAGE))
            .with_title("Storage Resource")
            .with_parent(cid(ids::RESOURCE))
            .with_location("/storage/")
            .with_attribute(
                attr("occi.storage.size", T::Number)
                    .with_mutable(true)
                    .with_required(true)
                    .with_description("Storage size in GiB"),
            )
            .with_attribute(state_attr("storage", states, "offline"));
        if v12 {
            storage = storage.with_attribute(state_message("storage"));
        }
        storage = storage
            .with_action(cid(ids::STORAGE_ONLINE))
            .with_action(cid(ids::STORAGE_OFFLINE));
        let mut storage_transitions = vec![
            ("offline", ids::STORAGE_ONLINE, "online"),
            ("online", ids::STORAGE_OFFLINE, "offline"),
        ];
        if !v12 {
            storage = storage
                .with_action(cid(ids::STORAGE_BACKUP))
                .with_action(cid(ids::STORAGE_SNAPSHOT))
                .with_action(cid(ids::STORAGE_RESIZE));
            // GFD.184 figure 3: backup, snapshot and resize run from online and return to it
            // on completion (a server event, not an action); degraded storage goes offline.
            storage_transitions.extend([
                ("online", ids::STORAGE_BACKUP, "backup"),
                ("online", ids::STORAGE_SNAPSHOT, "snapshot"),
                ("online", ids::STORAGE_RESIZE, "resize"),
                ("degraded", ids::STORAGE_OFFLINE, "offline"),
            ]);
        }
        self.insert_kind(storage);
        self.machines.push(machine(
            ids::STORAGE,
            "occi.storage.state",
            states,
            "offline",
            v12.then_some("error"),
            &storage_transitions,
        ));

        // ---- links (GFD.224 §3.4) -----------------------------------------------------------
        let link_states: &[&str] = if v12 {
            &["active", "inactive", "error"]
        } else {
            &["active", "inactive"]
        };
        let mut ni = Kind::new(cid(ids::NETWORKINTERFACE))
            .with_title("NetworkInterface Link")
            .with_parent(cid(ids::LINK))
            .with_location("/networkinterface/")
            .with_attribute(
                attr("occi.networkinterface.interface", T::String)
                    .with_required(true)
                    .with_description("Identifier of the link's device interface"),
            )
            .with_attribute(with_pattern(
                attr("occi.networkinterface.mac", T::String)
                    .with_mutable(true)
                    .with_description("MAC address of the link's device interface"),
                "^([0-9a-fA-F]{2}[:-]){5}([0-9a-fA-F]{2})$",
            ))
            .with_attribute(state_attr("networkinterface", link_states, "inactive"));
        if v12 {
            ni = ni.with_attribute(state_message("networkinterface"));
        }
        self.insert_kind(ni);
        let mut ipni = Mixin::new(cid(ids::IPNETWORKINTERFACE))
            .with_title("IP NetworkInterface Mixin")
            .with_location("/mixin/ipnetworkinterface/")
            .with_attribute(
                attr("occi.networkinterface.address", T::Cidr)
                    .with_mutable(true)
                    .with_description("IP address of the link, optionally with its prefix"),
            )
            .with_attribute(
                attr("occi.networkinterface.gateway", T::IpAddress)
                    .with_mutable(true)
                    .with_description("IP address of the gateway"),
            )
            .with_attribute(
                attr(
                    "occi.networkinterface.allocation",
                    T::enumeration(&["dynamic", "static"]),
                )
                .with_mutable(true)
                .with_description("Address allocation mechanism"),
            );
        if v12 {
            ipni = ipni.with_applies(cid(ids::NETWORKINTERFACE));
        }
        self.insert_mixin(ipni);
        let mut sl = Kind::new(cid(ids::STORAGELINK))
            .with_title("StorageLink Link")
            .with_parent(cid(ids::LINK))
            .with_location("/storagelink/")
            .with_attribute(
                attr("occi.storagelink.deviceid", T::String)
                    .with_mutable(true)
                    .with_description("Device identifier as the provider defines it"),
            )
            .with_attribute(
                attr("occi.storagelink.mountpoint", T::String)
                    .with_mutable(true)
                    .with_description("Mount point of the storage in the guest"),
            )
            .with_attribute(state_attr("storagelink", link_states, "inactive"));
        if v12 {
            sl = sl.with_attribute(state_message("storagelink"));
        }
        self.insert_kind(sl);
        // GFD.224 figure 5 shows the link states but names no actions; the transitions come
        // with the rOCCI link actions of `with_egi_extensions`.
        for (kind, attribute) in [
            (ids::NETWORKINTERFACE, "occi.networkinterface.state"),
            (ids::STORAGELINK, "occi.storagelink.state"),
        ] {
            self.machines.push(machine(
                kind,
                attribute,
                link_states,
                "inactive",
                v12.then_some("error"),
                &[],
            ));
        }

        // ---- templates (GFD.224 §3.5) -------------------------------------------------------
        self.insert_mixin(
            Mixin::new(cid(ids::OS_TPL))
                .with_title("OS Template")
                .with_location("/mixin/os_tpl/"),
        );
        self.insert_mixin(
            Mixin::new(cid(ids::RESOURCE_TPL))
                .with_title("Resource Template")
                .with_location("/mixin/resource_tpl/"),
        );
        if v12 {
            self.insert_mixin(
                Mixin::new(cid(ids::SSH_KEY))
                    .with_title("Credentials Mixin")
                    .with_applies(cid(ids::COMPUTE))
                    .with_location("/mixin/ssh_key/")
                    .with_attribute(
                        attr("occi.credentials.ssh.publickey", T::String)
                            .with_mutable(true)
                            .with_required(true)
                            .with_description("Public SSH key to inject into the instance"),
                    ),
            );
            self.insert_mixin(
                Mixin::new(cid(ids::USER_DATA))
                    .with_title("Contextualization Mixin")
                    .with_applies(cid(ids::COMPUTE))
                    .with_location("/mixin/user_data/")
                    .with_attribute(
                        attr("occi.compute.userdata", T::String)
                            .with_mutable(true)
                            .with_required(true)
                            .with_description("Contextualization data for the instance"),
                    ),
            );
        }
    }

    fn ensure_infrastructure(&mut self) {
        if self.kind(ids::COMPUTE).is_none() {
            if self.kind(ids::ENTITY).is_none() {
                let core = Self::core(self.version());
                for k in core.kinds() {
                    self.insert_kind(k.clone());
                }
            }
            self.add_infrastructure();
        }
    }

    /// Adds the Compute Resource Templates Profile (GFD.222 §7): the resource templates
    /// `small`, `medium`, `large` (MUST) and `mem_small`, `mem_medium`, `mem_large` (MAY) with
    /// their core, memory and ephemeral-storage values. Adds Infrastructure first if missing.
    ///
    /// GFD.222 names the scheme `…/compute/template/1.1#` in §2.1 but prints other schemes in
    /// its §7 tables (`…/template/1.0#`, `schemas.fedcloud.egi.eu/occi/compute/flavour/1.0#`);
    /// the normative §2.1 scheme is used.
    #[must_use]
    pub fn with_crtp(mut self) -> Self {
        self.ensure_infrastructure();
        let templates: [(&str, &str, i64, f64, f64); 6] = [
            ("small", "Small compute instance", 1, 1.0, 10.0),
            ("medium", "Medium compute instance", 2, 2.0, 20.0),
            ("large", "Large compute instance", 4, 4.0, 40.0),
            (
                "mem_small",
                "Small memory-intensive compute instance",
                1,
                4.0,
                10.0,
            ),
            (
                "mem_medium",
                "Medium memory-intensive compute instance",
                2,
                8.0,
                20.0,
            ),
            (
                "mem_large",
                "Large memory-intensive compute instance",
                4,
                16.0,
                40.0,
            ),
        ];
        for (term, title, cores, memory, ephemeral) in templates {
            self.insert_mixin(
                Mixin::new(cid(&format!("{}{term}", ids::CRTP_SCHEME)))
                    .with_title(title)
                    .with_depends(cid(ids::RESOURCE_TPL))
                    .with_applies(cid(ids::COMPUTE))
                    .with_location(format!("/mixin/resource_tpl/{term}/"))
                    .with_attribute(
                        attr("occi.compute.cores", T::Integer)
                            .with_mutable(true)
                            .with_default(cores),
                    )
                    .with_attribute(
                        attr("occi.compute.memory", T::Number)
                            .with_mutable(true)
                            .with_default(memory),
                    )
                    .with_attribute(
                        attr("occi.compute.ephemeral_storage.size", T::Number)
                            .with_required(true)
                            .with_default(ephemeral)
                            .with_description("Ephemeral storage of the instance in GiB"),
                    )
                    .with_attribute(
                        attr("occi.compute.ephemeral_storage.deviceid", T::String)
                            .with_mutable(true)
                            .with_description("Device id of the ephemeral storage in the guest"),
                    ),
            );
        }
        self
    }

    /// Adds the extensions EGI Federated Cloud sites publish: the FedCloud availability-zone
    /// root mixin, the OpenStack (ooi) credentials and user-data mixins, and rOCCI-core 5's
    /// `infrastructure_ext` (IP reservations, security groups and their links, default
    /// connectivity, public / private / NAT network mixins) with rOCCI's link actions
    /// (networkinterface up/down, storagelink online/offline). Adds Infrastructure first if
    /// missing.
    #[must_use]
    pub fn with_egi_extensions(mut self) -> Self {
        self.ensure_infrastructure();
        let v12 = self.version() == OcciVersion::V1_2;
        let compute = || cid(ids::COMPUTE);
        let network = || cid(ids::NETWORK);
        self.insert_mixin(
            Mixin::new(cid(ids::AVAILABILITY_ZONE))
                .with_title("Availability zone within the target infrastructure")
                .with_applies(compute())
                .with_location("/mixin/availability_zone/"),
        );
        self.insert_mixin(
            Mixin::new(cid(ids::OPENSTACK_PUBLIC_KEY))
                .with_title("SSH public key to inject into the instance (OpenStack)")
                .with_applies(compute())
                .with_location("/mixin/public_key/")
                .with_attribute(
                    attr("org.openstack.credentials.publickey.name", T::String)
                        .with_description("Name of the SSH key"),
                )
                .with_attribute(
                    attr("org.openstack.credentials.publickey.data", T::String)
                        .with_description("Public SSH key"),
                ),
        );
        self.insert_mixin(
            Mixin::new(cid(ids::OPENSTACK_USER_DATA))
                .with_title("Contextualization data for the instance (OpenStack)")
                .with_applies(compute())
                .with_location("/mixin/old_user_data/")
                .with_attribute(
                    attr("org.openstack.compute.user_data", T::String)
                        .with_description("Base64-encoded contextualization data"),
                ),
        );
        let fed = "http://schemas.fedcloud.egi.eu/occi/infrastructure/";
        self.insert_mixin(
            Mixin::new(cid(&format!("{fed}compute#default_connectivity")))
                .with_title("Default connectivity of new compute instances")
                .with_applies(compute())
                .with_location("/mixin/default_connectivity/")
                .with_attribute(
                    attr(
                        "eu.egi.fedcloud.compute.default_connectivity",
                        T::enumeration(&["public", "private", "nat"]),
                    )
                    .with_description("Default connectivity for new compute instances"),
                ),
        );
        for (term, title) in [
            ("public_net", "Public network"),
            ("private_net", "Private network"),
            ("nat_net", "NAT network"),
        ] {
            self.insert_mixin(
                Mixin::new(cid(&format!("{fed}network#{term}")))
                    .with_title(title)
                    .with_applies(network())
                    .with_location(format!("/mixin/{term}/")),
            );
        }

        // rOCCI infrastructure_ext kinds (they use the OGF scheme although no OCCI document
        // defines them).
        let ext_states: &[&str] = if v12 {
            &["active", "inactive", "error"]
        } else {
            &["active", "inactive"]
        };
        let ia = "http://schemas.ogf.org/occi/infrastructure/ipreservation/action#";
        self.insert_action(
            Action::new(cid(&format!("{ia}up"))).with_title("Activate the reservation"),
        );
        self.insert_action(
            Action::new(cid(&format!("{ia}down"))).with_title("Deactivate the reservation"),
        );
        let mut ipr = Kind::new(cid(ids::IPRESERVATION))
            .with_title("IP Reservation")
            .with_parent(network())
            .with_location("/ipreservation/")
            .with_attribute(
                attr("occi.ipreservation.address", T::IpAddress)
                    .with_mutable(true)
                    .with_description("Reserved IP address"),
            )
            .with_attribute(
                attr("occi.ipreservation.used", T::Boolean)
                    .with_required(true)
                    .with_default(false)
                    .with_description("Whether the address is in use"),
            )
            .with_attribute(state_attr("ipreservation", ext_states, "inactive"));
        if v12 {
            ipr = ipr.with_attribute(state_message("ipreservation"));
        }
        ipr = ipr
            .with_action(cid(&format!("{ia}up")))
            .with_action(cid(&format!("{ia}down")));
        self.insert_kind(ipr);
        self.machines.push(machine(
            ids::IPRESERVATION,
            "occi.ipreservation.state",
            ext_states,
            "inactive",
            v12.then_some("error"),
            &[
                ("inactive", &format!("{ia}up"), "active"),
                ("active", &format!("{ia}down"), "inactive"),
            ],
        ));
        let mut sg = Kind::new(cid(ids::SECURITYGROUP))
            .with_title("Security Group")
            .with_parent(cid(ids::RESOURCE))
            .with_location("/securitygroup/")
            .with_attribute(
                attr("occi.securitygroup.rules", T::Array)
                    .with_mutable(true)
                    .with_required(true)
                    .with_description("Security group rules"),
            )
            .with_attribute(state_attr("securitygroup", ext_states, "inactive"));
        if v12 {
            sg = sg.with_attribute(state_message("securitygroup"));
        }
        self.insert_kind(sg);
        let mut sgl = Kind::new(cid(ids::SECURITYGROUPLINK))
            .with_title("Security Group Link")
            .with_parent(cid(ids::LINK))
            .with_location("/securitygrouplink/")
            .with_attribute(state_attr("securitygrouplink", ext_states, "inactive"));
        if v12 {
            sgl = sgl.with_attribute(state_message("securitygrouplink"));
        }
        self.insert_kind(sgl);
        for (kind, attribute) in [
            (ids::SECURITYGROUP, "occi.securitygroup.state"),
            (ids::SECURITYGROUPLINK, "occi.securitygrouplink.state"),
        ] {
            self.machines.push(machine(
                kind,
                attribute,
                ext_states,
                "inactive",
                v12.then_some("error"),
                &[],
            ));
        }

        // rOCCI's link actions and the transitions they drive.
        let links = [
            (
                ids::NETWORKINTERFACE,
                "http://schemas.ogf.org/occi/infrastructure/networkinterface/action#",
                ["up", "down"],
            ),
            (
                ids::STORAGELINK,
                "http://schemas.ogf.org/occi/infrastructure/storagelink/action#",
                ["online", "offline"],
            ),
        ];
        for (kind, scheme, [on, off]) in links {
            let on_id = cid(&format!("{scheme}{on}"));
            let off_id = cid(&format!("{scheme}{off}"));
            self.insert_action(Action::new(on_id.clone()).with_title("Activate the link"));
            self.insert_action(Action::new(off_id.clone()).with_title("Deactivate the link"));
            if let Some(k) = self.kind_mut(kind)
                && !k.actions.contains(&on_id)
            {
                k.actions.push(on_id.clone());
                k.actions.push(off_id.clone());
            }
            if let Some(sm) = self.machines.iter_mut().find(|m| m.kind() == kind) {
                sm.add_transition(Transition {
                    from: "inactive".to_owned(),
                    action: on_id,
                    to: "active".to_owned(),
                });
                sm.add_transition(Transition {
                    from: "active".to_owned(),
                    action: off_id,
                    to: "inactive".to_owned(),
                });
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AttributeValue, CategoryClass};
    use OcciVersion::{V1_1, V1_2};

    fn all_models() -> Vec<(&'static str, Model)> {
        let mut out = Vec::new();
        for v in [V1_1, V1_2] {
            out.push(("core", Model::core(v)));
            out.push(("infrastructure", Model::infrastructure(v)));
            out.push(("crtp", Model::infrastructure(v).with_crtp()));
            out.push(("egi", Model::infrastructure(v).with_egi_extensions()));
            out.push(("all", Model::core(v).with_crtp().with_egi_extensions()));
            out.push((
                "twice",
                Model::infrastructure(v)
                    .with_egi_extensions()
                    .with_egi_extensions()
                    .with_crtp()
                    .with_crtp(),
            ));
        }
        out
    }

    #[test]
    fn every_built_in_set_is_consistent() {
        for (name, m) in all_models() {
            m.verify()
                .unwrap_or_else(|e| panic!("{name} {}: {e}", m.version()));
        }
    }

    #[test]
    fn category_counts() {
        // (model, version, kinds, mixins, actions)
        let cases = [
            ("core", V1_1, 3, 0, 0),
            ("core", V1_2, 3, 0, 0),
            ("infrastructure", V1_1, 8, 4, 11),
            ("infrastructure", V1_2, 8, 6, 9),
            ("crtp", V1_2, 8, 12, 9),
            ("egi", V1_2, 11, 13, 15),
            ("all", V1_2, 11, 19, 15),
            ("twice", V1_2, 11, 19, 15),
        ];
        let models = all_models();
        for (name, v, kinds, mixins, actions) in cases {
            let m = models
                .iter()
                .find(|(n, m)| *n == name && m.version() == v)
                .map(|(_, m)| m)
                .unwrap();
            assert_eq!(
                (m.kinds().len(), m.mixins().len(), m.actions().len()),
                (kinds, mixins, actions),
                "{name} {v}"
            );
        }
    }

    /// Every attribute of the Infrastructure tables, with type, mutability and whether it is
    /// in the 1.1 and 1.2 documents.
    #[test]
    fn infrastructure_attribute_tables() {
        // (category, attribute, json type, mutable, required, in 1.1, in 1.2)
        let cases = [
            (
                ids::COMPUTE,
                "occi.compute.architecture",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::COMPUTE,
                "occi.compute.cores",
                "integer",
                true,
                false,
                true,
                true,
            ),
            (
                ids::COMPUTE,
                "occi.compute.hostname",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::COMPUTE,
                "occi.compute.share",
                "integer",
                true,
                false,
                false,
                true,
            ),
            (
                ids::COMPUTE,
                "occi.compute.speed",
                "number",
                true,
                false,
                true,
                false,
            ),
            (
                ids::COMPUTE,
                "occi.compute.memory",
                "number",
                true,
                false,
                true,
                true,
            ),
            (
                ids::COMPUTE,
                "occi.compute.state",
                "string",
                false,
                true,
                true,
                true,
            ),
            (
                ids::COMPUTE,
                "occi.compute.state.message",
                "string",
                false,
                false,
                false,
                true,
            ),
            (
                ids::NETWORK,
                "occi.network.vlan",
                "integer",
                true,
                false,
                true,
                true,
            ),
            (
                ids::NETWORK,
                "occi.network.label",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::NETWORK,
                "occi.network.state",
                "string",
                false,
                true,
                true,
                true,
            ),
            (
                ids::NETWORK,
                "occi.network.state.message",
                "string",
                false,
                false,
                false,
                true,
            ),
            (
                ids::IPNETWORK,
                "occi.network.address",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::IPNETWORK,
                "occi.network.gateway",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::IPNETWORK,
                "occi.network.allocation",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::STORAGE,
                "occi.storage.size",
                "number",
                true,
                true,
                true,
                true,
            ),
            (
                ids::STORAGE,
                "occi.storage.state",
                "string",
                false,
                true,
                true,
                true,
            ),
            (
                ids::STORAGE,
                "occi.storage.state.message",
                "string",
                false,
                false,
                false,
                true,
            ),
            (
                ids::NETWORKINTERFACE,
                "occi.networkinterface.interface",
                "string",
                false,
                true,
                true,
                true,
            ),
            (
                ids::NETWORKINTERFACE,
                "occi.networkinterface.mac",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::NETWORKINTERFACE,
                "occi.networkinterface.state",
                "string",
                false,
                true,
                true,
                true,
            ),
            (
                ids::NETWORKINTERFACE,
                "occi.networkinterface.state.message",
                "string",
                false,
                false,
                false,
                true,
            ),
            (
                ids::IPNETWORKINTERFACE,
                "occi.networkinterface.address",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::IPNETWORKINTERFACE,
                "occi.networkinterface.gateway",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::IPNETWORKINTERFACE,
                "occi.networkinterface.allocation",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::STORAGELINK,
                "occi.storagelink.deviceid",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::STORAGELINK,
                "occi.storagelink.mountpoint",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::STORAGELINK,
                "occi.storagelink.state",
                "string",
                false,
                true,
                true,
                true,
            ),
            (
                ids::STORAGELINK,
                "occi.storagelink.state.message",
                "string",
                false,
                false,
                false,
                true,
            ),
            (
                ids::SSH_KEY,
                "occi.credentials.ssh.publickey",
                "string",
                true,
                true,
                false,
                true,
            ),
            (
                ids::USER_DATA,
                "occi.compute.userdata",
                "string",
                true,
                true,
                false,
                true,
            ),
            (
                ids::ENTITY,
                "occi.core.id",
                "string",
                false,
                true,
                true,
                true,
            ),
            (
                ids::ENTITY,
                "occi.core.title",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::RESOURCE,
                "occi.core.summary",
                "string",
                true,
                false,
                true,
                true,
            ),
            (
                ids::LINK,
                "occi.core.source",
                "string",
                true,
                true,
                true,
                true,
            ),
            (
                ids::LINK,
                "occi.core.target",
                "string",
                true,
                true,
                true,
                true,
            ),
            (
                ids::LINK,
                "occi.core.target.kind",
                "string",
                true,
                false,
                false,
                true,
            ),
        ];
        for v in [V1_1, V1_2] {
            let m = Model::infrastructure(v);
            for (cat, name, json, mutable, required, in11, in12) in cases {
                let expected = if v == V1_1 { in11 } else { in12 };
                let def = m
                    .category(cat)
                    .and_then(|c| c.attributes().iter().find(|a| a.name == name));
                assert_eq!(def.is_some(), expected, "{v} {cat} {name}");
                if let Some(d) = def {
                    assert_eq!(
                        (d.attr_type.json_type(), d.mutable, d.required),
                        (json, mutable, required),
                        "{v} {name}"
                    );
                }
            }
        }
    }

    #[test]
    fn enumerations_per_version() {
        let values = |m: &Model, kind: &str, name: &str| match &m
            .kind(kind)
            .and_then(|k| k.attribute(name))
            .map(|a| a.attr_type.clone())
        {
            Some(T::Enum(v)) => v.join(" "),
            other => format!("{other:?}"),
        };
        let m11 = Model::infrastructure(V1_1);
        let m12 = Model::infrastructure(V1_2);
        assert_eq!(
            values(&m11, ids::COMPUTE, "occi.compute.state"),
            "active inactive suspended"
        );
        assert_eq!(
            values(&m12, ids::COMPUTE, "occi.compute.state"),
            "active inactive suspended error"
        );
        assert_eq!(
            values(&m11, ids::STORAGE, "occi.storage.state"),
            "online offline backup snapshot resize degraded"
        );
        assert_eq!(
            values(&m12, ids::STORAGE, "occi.storage.state"),
            "online offline error"
        );
        assert_eq!(
            values(&m12, ids::COMPUTE, "occi.compute.architecture"),
            "x86 x64"
        );
        let method = |m: &Model, action: &str| match m
            .action(action)
            .and_then(|a| a.attribute("method"))
            .map(|a| a.attr_type.clone())
        {
            Some(T::Enum(v)) => v.join(" "),
            other => format!("{other:?}"),
        };
        assert_eq!(method(&m12, ids::COMPUTE_STOP), "graceful acpioff poweroff");
        assert_eq!(method(&m12, ids::COMPUTE_RESTART), "graceful warm cold");
        assert_eq!(method(&m12, ids::COMPUTE_SUSPEND), "hibernate suspend");
        assert_eq!(method(&m12, ids::COMPUTE_SAVE), "hot deferred");
        assert!(m11.action(ids::COMPUTE_SAVE).is_none());
        assert!(m12.action(ids::STORAGE_RESIZE).is_none());
        assert!(
            m11.action(ids::STORAGE_RESIZE)
                .and_then(|a| a.attribute("size"))
                .is_some_and(|s| s.required)
        );
    }

    #[test]
    fn crtp_templates() {
        let m = Model::infrastructure(V1_2).with_crtp();
        // (term, cores, memory GiB, ephemeral GiB)
        let cases = [
            ("small", 1, 1.0, 10.0),
            ("medium", 2, 2.0, 20.0),
            ("large", 4, 4.0, 40.0),
            ("mem_small", 1, 4.0, 10.0),
            ("mem_medium", 2, 8.0, 20.0),
            ("mem_large", 4, 16.0, 40.0),
        ];
        for (term, cores, memory, ephemeral) in cases {
            let id = format!("{}{term}", ids::CRTP_SCHEME);
            let mixin = m.mixin(&id).unwrap();
            assert_eq!(mixin.depends, [ids::RESOURCE_TPL]);
            assert_eq!(
                m.template_family(&id),
                Some(crate::TemplateFamily::Resource)
            );
            assert!(m.mixin_applies_to(&id, ids::COMPUTE));
            assert!(!m.mixin_applies_to(&id, ids::STORAGE));
            let default = |a: &str| mixin.attribute(a).and_then(|d| d.default.clone());
            assert_eq!(
                default("occi.compute.cores"),
                Some(AttributeValue::Integer(cores))
            );
            assert_eq!(
                default("occi.compute.memory"),
                Some(AttributeValue::Number(memory))
            );
            assert_eq!(
                default("occi.compute.ephemeral_storage.size"),
                Some(AttributeValue::Number(ephemeral))
            );
            // The template's default wins over the kind's (none) in the effective attributes.
            let eff = m.effective_attributes(ids::COMPUTE, &[id.as_str()]);
            let cores_eff = eff
                .iter()
                .find(|e| e.definition.name == "occi.compute.cores")
                .unwrap();
            assert_eq!(cores_eff.defined_by, ids::COMPUTE);
            assert_eq!(
                cores_eff.default.map(|(d, by)| (d.clone(), by.as_str())),
                Some((AttributeValue::Integer(cores), id.as_str()))
            );
        }
    }

    #[test]
    fn egi_extensions() {
        let m = Model::infrastructure(V1_2).with_egi_extensions();
        for (id, class) in [
            (ids::AVAILABILITY_ZONE, CategoryClass::Mixin),
            (ids::OPENSTACK_PUBLIC_KEY, CategoryClass::Mixin),
            (ids::OPENSTACK_USER_DATA, CategoryClass::Mixin),
            (ids::IPRESERVATION, CategoryClass::Kind),
            (ids::SECURITYGROUP, CategoryClass::Kind),
            (ids::SECURITYGROUPLINK, CategoryClass::Kind),
            (
                "http://schemas.fedcloud.egi.eu/occi/infrastructure/compute#default_connectivity",
                CategoryClass::Mixin,
            ),
            (
                "http://schemas.fedcloud.egi.eu/occi/infrastructure/network#nat_net",
                CategoryClass::Mixin,
            ),
            (
                "http://schemas.ogf.org/occi/infrastructure/networkinterface/action#up",
                CategoryClass::Action,
            ),
            (
                "http://schemas.ogf.org/occi/infrastructure/storagelink/action#offline",
                CategoryClass::Action,
            ),
        ] {
            assert_eq!(m.category(id).map(|c| c.class()), Some(class), "{id}");
        }
        assert!(m.is_kind_of(ids::IPRESERVATION, ids::NETWORK));
        assert_eq!(m.kind_actions(ids::NETWORKINTERFACE).len(), 2);
        // The scheme and term split is kept for look-ups by parts.
        assert!(
            m.category_by_parts(
                "http://fedcloud.egi.eu/occi/infrastructure#",
                "availability_zone"
            )
            .is_some()
        );
    }
}
