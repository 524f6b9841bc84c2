//! Resource state machines of OCCI Infrastructure, and the checking of action invocations.
//!
//! ```text
//! compute (GFD.224 fig. 2):  inactive --start--> active --stop--> inactive
//!                            active --suspend--> suspended --start--> active
//!                            active --restart / save (1.2)--> active
//!                            a failing start / stop / suspend ends in error (1.2)
//! network (fig. 3):          inactive --up--> active --down--> inactive
//! storage (fig. 4, 1.2):     offline --online--> online --offline--> offline
//! storage (GFD.184, 1.1):    + online --backup / snapshot / resize--> backup / snapshot / resize
//!                              (back to online on completion); degraded --offline--> offline
//! links (fig. 5):            inactive <--> active, no actions named by the document
//! ```
//!
//! The `error` state has no outgoing transition in the 1.2 diagrams: no action is allowed
//! there.

use crate::{
    ActionInvocation, AttributeName, AttributeValue, CategoryId, Entity, Error, ErrorKind,
    Location, Model,
};
use std::fmt;
use std::str::FromStr;

/// One edge of a state machine: `action` moves an instance from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Transition {
    /// The state the action is allowed in.
    pub from: String,
    /// The action.
    pub action: CategoryId,
    /// The state a successful action leads to.
    pub to: String,
}

impl Transition {
    /// An edge.
    #[must_use]
    pub fn new(from: impl Into<String>, action: CategoryId, to: impl Into<String>) -> Self {
        Self {
            from: from.into(),
            action,
            to: to.into(),
        }
    }
}

/// The state machine of one kind: its state attribute, states, initial and failure states,
/// and which action is allowed in which state.
///
/// ```
/// use occi_model::{Model, OcciVersion, ids};
/// let model = Model::infrastructure(OcciVersion::V1_2);
/// let sm = model.state_machine(ids::COMPUTE).ok_or("no machine")?;
/// let allowed: Vec<_> = sm.allowed_actions("active").map(|a| a.term()).collect();
/// assert_eq!(allowed, ["stop", "restart", "suspend", "save"]);
/// assert_eq!(sm.transition("suspended", ids::COMPUTE_START)?, "active");
/// assert!(sm.transition("inactive", ids::COMPUTE_STOP).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StateMachine {
    kind: CategoryId,
    attribute: AttributeName,
    states: Vec<String>,
    initial: String,
    failure: Option<String>,
    transitions: Vec<Transition>,
}

impl StateMachine {
    /// A state machine for `kind`, whose state is held in `attribute`.
    #[must_use]
    pub const fn new(
        kind: CategoryId,
        attribute: AttributeName,
        states: Vec<String>,
        initial: String,
        failure: Option<String>,
        transitions: Vec<Transition>,
    ) -> Self {
        Self {
            kind,
            attribute,
            states,
            initial,
            failure,
            transitions,
        }
    }

    pub(crate) fn add_transition(&mut self, t: Transition) {
        if !self.transitions.contains(&t) {
            self.transitions.push(t);
        }
    }

    /// The kind.
    #[must_use]
    pub const fn kind(&self) -> &CategoryId {
        &self.kind
    }

    /// The attribute that holds the state (`occi.compute.state`, ...).
    #[must_use]
    pub const fn attribute(&self) -> &AttributeName {
        &self.attribute
    }

    /// Every state.
    #[must_use]
    pub fn states(&self) -> &[String] {
        &self.states
    }

    /// The state of a new instance.
    #[must_use]
    pub fn initial(&self) -> &str {
        &self.initial
    }

    /// The state a failing action leads to (`error` in OCCI 1.2; none in 1.1).
    #[must_use]
    pub fn failure_state(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Every edge.
    #[must_use]
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    /// The actions allowed in `state`, in definition order.
    pub fn allowed_actions<'a>(&'a self, state: &'a str) -> impl Iterator<Item = &'a CategoryId> {
        self.transitions
            .iter()
            .filter(move |t| t.from == state)
            .map(|t| &t.action)
    }

    /// Whether this machine governs `action` at all (actions of mixins are not governed).
    #[must_use]
    pub fn governs(&self, action: &str) -> bool {
        self.transitions.iter().any(|t| t.action == action)
    }

    /// The state `action` leads to from `state`.
    ///
    /// # Errors
    /// `UnknownState` for a state the machine does not have; `ActionNotAllowed` when no edge
    /// leaves `state` with `action`.
    pub fn transition(&self, state: &str, action: &str) -> Result<&str, Error> {
        if !self.states.iter().any(|s| s == state) {
            return Err(Error::at_category(
                ErrorKind::UnknownState(state.to_owned()),
                &self.kind,
            ));
        }
        self.transitions
            .iter()
            .find(|t| t.from == state && t.action == action)
            .map(|t| t.to.as_str())
            .ok_or_else(|| {
                Error::at_category(
                    ErrorKind::ActionNotAllowed {
                        action: action.to_owned(),
                        state: state.to_owned(),
                    },
                    &self.kind,
                )
            })
    }
}

/// What an accepted action invocation will do.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ActionPlan {
    /// The state the entity reaches if the action succeeds (`None` when no state machine
    /// governs the action).
    pub target_state: Option<String>,
    /// The parameters, with the defaults of parameters the invocation left out.
    pub parameters: crate::Attributes,
}

impl Model {
    /// The state machine of kind `kind`, or of its nearest ancestor that has one.
    #[must_use]
    pub fn state_machine(&self, kind: &str) -> Option<&StateMachine> {
        self.ancestors(kind)
            .find_map(|k| self.machines.iter().find(|m| m.kind == k.id))
    }

    /// Registers a provider state machine for a kind (replacing one it inherits).
    ///
    /// # Errors
    /// `UnknownKind`; `InvalidStateMachine` when the state attribute is not an enumeration
    /// of the kind covering every state, when the initial or failure state or a transition
    /// names an unknown state, or a transition names an action the kind does not define.
    pub fn register_state_machine(&mut self, machine: StateMachine) -> Result<(), Error> {
        self.check_state_machine(&machine)?;
        self.machines.retain(|m| m.kind != machine.kind);
        self.machines.push(machine);
        Ok(())
    }

    /// Checks a state machine against the registry (see [`Model::register_state_machine`]).
    ///
    /// # Errors
    /// As [`Model::register_state_machine`].
    pub fn check_state_machine(&self, machine: &StateMachine) -> Result<(), Error> {
        let kind = machine.kind.as_str();
        if self.kind(kind).is_none() {
            return Err(Error::at_category(
                ErrorKind::UnknownKind(kind.to_owned()),
                kind,
            ));
        }
        let invalid = |why: String| Error::at_category(ErrorKind::InvalidStateMachine(why), kind);
        let attrs = self.kind_attributes(kind);
        let Some(def) = attrs.iter().find(|a| a.name == machine.attribute) else {
            return Err(invalid(format!(
                "{} is not an attribute of the kind",
                machine.attribute
            )));
        };
        for s in &machine.states {
            if def.check(&AttributeValue::String(s.clone())).is_err() {
                return Err(invalid(format!(
                    "{} does not accept state {s}",
                    machine.attribute
                )));
            }
        }
        let known = |s: &str| machine.states.iter().any(|x| x == s);
        if !known(&machine.initial) || machine.failure.as_deref().is_some_and(|f| !known(f)) {
            return Err(invalid(
                "initial or failure state is not a state".to_owned(),
            ));
        }
        let actions = self.kind_actions(kind);
        for t in &machine.transitions {
            if !known(&t.from) || !known(&t.to) {
                return Err(invalid(format!(
                    "transition {} -> {} names an unknown state",
                    t.from, t.to
                )));
            }
            if !actions.iter().any(|a| **a == t.action) {
                return Err(invalid(format!(
                    "{} is not an action of the kind",
                    t.action
                )));
            }
        }
        Ok(())
    }

    /// Every action the entity's kind (with its ancestors) and mixins (with their
    /// dependencies) define.
    #[must_use]
    pub fn entity_actions(&self, entity: &Entity) -> Vec<&CategoryId> {
        let mut out = self.kind_actions(entity.kind().as_str());
        for m in self.mixin_closure(entity.mixins()) {
            for a in &m.actions {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
        out
    }

    /// The actions that can be invoked on the entity now: those its kind and mixins define,
    /// less those its state machine does not allow in its current state. What a server
    /// renders as action links, and what a client can plan.
    #[must_use]
    pub fn allowed_actions(&self, entity: &Entity) -> Vec<&CategoryId> {
        let actions = self.entity_actions(entity);
        let Some(sm) = self.state_machine(entity.kind().as_str()) else {
            return actions;
        };
        let state = entity
            .attributes()
            .get(sm.attribute().as_str())
            .and_then(AttributeValue::as_str)
            .unwrap_or(sm.initial());
        actions
            .into_iter()
            .filter(|a| !sm.governs(a.as_str()) || sm.transition(state, a.as_str()).is_ok())
            .collect()
    }

    /// Checks an action invocation on an entity: the action is defined by the entity's kind or
    /// mixins, its parameters are known, typed and complete, and the entity's state allows it.
    /// An entity without a state attribute is taken to be in its machine's initial state.
    ///
    /// # Errors
    /// `UnknownAction`, `InvalidParameter`, `UnknownState` or `ActionNotAllowed`, located at
    /// the entity.
    pub fn check_action(
        &self,
        entity: &Entity,
        invocation: &ActionInvocation,
    ) -> Result<ActionPlan, Error> {
        let at = |kind| Error::new(kind, Location::Entity(entity.id().to_string()));
        let id = invocation.action.as_str();
        let action = self
            .action(id)
            .filter(|_| self.entity_actions(entity).iter().any(|a| *a == id))
            .ok_or_else(|| at(ErrorKind::UnknownAction(id.to_owned())))?;
        let mut parameters = crate::Attributes::new();
        for (name, value) in &invocation.attributes {
            let Some(def) = action.attribute(name.as_str()) else {
                return Err(at(ErrorKind::InvalidParameter(format!(
                    "unknown parameter {name}"
                ))));
            };
            def.check(value)
                .map_err(|p| at(ErrorKind::InvalidParameter(format!("{name}: {p}"))))?;
            parameters.insert(name.clone(), value.clone());
        }
        for def in &action.attributes {
            if parameters.contains_key(def.name.as_str()) {
                continue;
            }
            if let Some(d) = &def.default {
                parameters.insert(def.name.clone(), d.clone());
            } else if def.required {
                return Err(at(ErrorKind::InvalidParameter(format!(
                    "missing required parameter {}",
                    def.name
                ))));
            }
        }
        let mut target_state = None;
        if let Some(sm) = self.state_machine(entity.kind().as_str())
            && sm.governs(id)
        {
            let state = entity
                .attributes()
                .get(sm.attribute().as_str())
                .and_then(AttributeValue::as_str)
                .unwrap_or(sm.initial());
            let to = sm.transition(state, id).map_err(|e| at(e.kind().clone()))?;
            target_state = Some(to.to_owned());
        }
        Ok(ActionPlan {
            target_state,
            parameters,
        })
    }
}

macro_rules! method_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in the document's order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The value as the `method` parameter spells it.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;

            /// # Errors
            /// `UnknownMethod` for any other text.
            fn from_str(s: &str) -> Result<Self, Error> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    _ => Err(Error::in_text(ErrorKind::UnknownMethod, s, 0)),
                }
            }
        }

        impl From<$name> for AttributeValue {
            fn from(m: $name) -> Self {
                AttributeValue::String(m.as_str().to_owned())
            }
        }
    };
}

method_enum!(
    /// The `method` of compute `stop` (GFD.224 table 3).
    StopMethod {
        /// Shut the operating system down.
        Graceful = "graceful",
        /// ACPI power-off signal.
        Acpioff = "acpioff",
        /// Cut the power.
        Poweroff = "poweroff",
    }
);

method_enum!(
    /// The `method` of compute `restart` (GFD.224 table 3).
    RestartMethod {
        /// Restart the operating system.
        Graceful = "graceful",
        /// Warm reset.
        Warm = "warm",
        /// Power cycle.
        Cold = "cold",
    }
);

method_enum!(
    /// The `method` of compute `suspend` (GFD.224 table 3).
    SuspendMethod {
        /// Suspend to disk.
        Hibernate = "hibernate",
        /// Suspend to memory.
        Suspend = "suspend",
    }
);

method_enum!(
    /// The `method` of compute `save` (GFD.224 table 3, new in 1.2).
    SaveMethod {
        /// Copy the running instance.
        Hot = "hot",
        /// Copy when the instance next stops.
        Deferred = "deferred",
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OcciVersion;
    use crate::{Link, Resource, ids};
    use OcciVersion::{V1_1, V1_2};

    fn id(s: &str) -> CategoryId {
        s.parse().unwrap()
    }

    /// Every (state, action) pair of every built-in machine: the target state or refusal.
    #[test]
    fn transition_tables() {
        // (version, kind, state, action term, expected target)
        let cases: &[(OcciVersion, &str, &str, &str, Option<&str>)] = &[
            (V1_2, ids::COMPUTE, "inactive", "start", Some("active")),
            (V1_2, ids::COMPUTE, "inactive", "stop", None),
            (V1_2, ids::COMPUTE, "inactive", "save", None),
            (V1_2, ids::COMPUTE, "active", "stop", Some("inactive")),
            (V1_2, ids::COMPUTE, "active", "restart", Some("active")),
            (V1_2, ids::COMPUTE, "active", "suspend", Some("suspended")),
            (V1_2, ids::COMPUTE, "active", "save", Some("active")),
            (V1_2, ids::COMPUTE, "active", "start", None),
            (V1_2, ids::COMPUTE, "suspended", "start", Some("active")),
            (V1_2, ids::COMPUTE, "suspended", "stop", None),
            (V1_2, ids::COMPUTE, "error", "start", None),
            (V1_2, ids::COMPUTE, "error", "stop", None),
            (V1_1, ids::COMPUTE, "active", "restart", Some("active")),
            (V1_2, ids::NETWORK, "inactive", "up", Some("active")),
            (V1_2, ids::NETWORK, "active", "down", Some("inactive")),
            (V1_2, ids::NETWORK, "active", "up", None),
            (V1_2, ids::STORAGE, "offline", "online", Some("online")),
            (V1_2, ids::STORAGE, "online", "offline", Some("offline")),
            (V1_2, ids::STORAGE, "offline", "offline", None),
            (V1_1, ids::STORAGE, "online", "backup", Some("backup")),
            (V1_1, ids::STORAGE, "online", "snapshot", Some("snapshot")),
            (V1_1, ids::STORAGE, "online", "resize", Some("resize")),
            (V1_1, ids::STORAGE, "offline", "resize", None),
            (V1_1, ids::STORAGE, "degraded", "offline", Some("offline")),
            (V1_1, ids::STORAGE, "backup", "offline", None),
        ];
        for &(v, kind, state, term, expected) in cases {
            let m = Model::infrastructure(v);
            let sm = m.state_machine(kind).unwrap();
            let action = format!(
                "{}{term}",
                ids::COMPUTE_START
                    .replace("compute", kind.rsplit('#').next().unwrap())
                    .trim_end_matches("start")
            );
            let got = sm.transition(state, &action).ok();
            assert_eq!(got, expected, "{v} {kind} {state} {term}");
            assert_eq!(
                sm.allowed_actions(state).any(|a| *a == action.as_str()),
                expected.is_some()
            );
        }
        let m = Model::infrastructure(V1_1);
        let sm = m.state_machine(ids::COMPUTE).unwrap();
        assert_eq!(sm.failure_state(), None);
        assert_eq!(
            sm.transition("error", ids::COMPUTE_START)
                .unwrap_err()
                .kind(),
            &ErrorKind::UnknownState("error".into())
        );
        let m = Model::infrastructure(V1_2);
        assert_eq!(
            m.state_machine(ids::STORAGE).unwrap().failure_state(),
            Some("error")
        );
        assert_eq!(m.state_machine(ids::STORAGE).unwrap().initial(), "offline");
    }

    #[test]
    fn links_have_actions_only_with_rocci_extensions() {
        let plain = Model::infrastructure(V1_2);
        assert_eq!(
            plain
                .state_machine(ids::NETWORKINTERFACE)
                .unwrap()
                .transitions()
                .len(),
            0
        );
        let ext = Model::infrastructure(V1_2).with_egi_extensions();
        let sm = ext.state_machine(ids::STORAGELINK).unwrap();
        let allowed: Vec<&str> = sm
            .allowed_actions("inactive")
            .map(CategoryId::term)
            .collect();
        assert_eq!(allowed, ["online"]);
        // ipreservation has its own machine although it is a network.
        let ipr = ext.state_machine(ids::IPRESERVATION).unwrap();
        assert_eq!(ipr.kind(), ids::IPRESERVATION);
        assert_eq!(ipr.allowed_actions("inactive").count(), 1);
    }

    #[test]
    fn provider_kinds_inherit_and_register_machines() {
        let mut m = Model::infrastructure(V1_2);
        let vm = id("http://example.com/occi#vm");
        m.register_kind(crate::Kind::new(vm.clone()).with_parent(id(ids::COMPUTE)))
            .unwrap();
        assert_eq!(m.state_machine(vm.as_str()).unwrap().kind(), ids::COMPUTE);
        let mut sm = m.state_machine(ids::COMPUTE).unwrap().clone();
        sm.kind = vm.clone();
        sm.add_transition(Transition::new("error", id(ids::COMPUTE_STOP), "inactive"));
        m.register_state_machine(sm).unwrap();
        let own = m.state_machine(vm.as_str()).unwrap();
        assert_eq!(
            own.transition("error", ids::COMPUTE_STOP).unwrap(),
            "inactive"
        );
        // Refusals.
        let bad_state = StateMachine::new(
            vm.clone(),
            "occi.compute.state".parse().unwrap(),
            vec!["active".into(), "exploded".into()],
            "active".into(),
            None,
            vec![],
        );
        assert!(matches!(
            m.register_state_machine(bad_state).unwrap_err().kind(),
            ErrorKind::InvalidStateMachine(_)
        ));
        let bad_action = StateMachine::new(
            vm,
            "occi.compute.state".parse().unwrap(),
            vec!["active".into()],
            "active".into(),
            None,
            vec![Transition::new("active", id(ids::NETWORK_UP), "active")],
        );
        assert!(m.register_state_machine(bad_action).is_err());
    }

    #[test]
    fn action_invocations() {
        let m = Model::infrastructure(V1_2).with_egi_extensions();
        let running: Entity = Resource::new(id(ids::COMPUTE))
            .with_attribute("occi.compute.state".parse().unwrap(), "active")
            .into();
        let stop = ActionInvocation::new(id(ids::COMPUTE_STOP))
            .with_attribute("method".parse().unwrap(), StopMethod::Acpioff);
        let plan = m.check_action(&running, &stop).unwrap();
        assert_eq!(plan.target_state.as_deref(), Some("inactive"));
        assert_eq!(
            plan.parameters.get("method").and_then(|v| v.as_str()),
            Some("acpioff")
        );
        // (invocation, expected error kind)
        let cases = [
            (
                ActionInvocation::new(id(ids::COMPUTE_START)),
                ErrorKind::ActionNotAllowed {
                    action: ids::COMPUTE_START.into(),
                    state: "active".into(),
                },
            ),
            (
                ActionInvocation::new(id(ids::COMPUTE_STOP))
                    .with_attribute("method".parse().unwrap(), "pull-the-plug"),
                ErrorKind::InvalidParameter("method: value is not in the enumeration".into()),
            ),
            (
                ActionInvocation::new(id(ids::COMPUTE_STOP))
                    .with_attribute("force".parse().unwrap(), true),
                ErrorKind::InvalidParameter("unknown parameter force".into()),
            ),
            (
                ActionInvocation::new(id(ids::NETWORK_UP)),
                ErrorKind::UnknownAction(ids::NETWORK_UP.into()),
            ),
        ];
        for (invocation, expected) in cases {
            let e = m.check_action(&running, &invocation).unwrap_err();
            assert_eq!(e.kind(), &expected);
            assert!(e.to_string().contains("at entity urn:uuid:"), "{e}");
        }
        let allowed: Vec<&str> = m
            .allowed_actions(&running)
            .iter()
            .map(|a| a.term())
            .collect();
        assert_eq!(allowed, ["stop", "restart", "suspend", "save"]);
        // No state attribute: the initial state.
        let new: Entity = Resource::new(id(ids::COMPUTE)).into();
        let allowed: Vec<&str> = m.allowed_actions(&new).iter().map(|a| a.term()).collect();
        assert_eq!(allowed, ["start"]);
        let nic: Entity = Link::new(
            id(ids::NETWORKINTERFACE),
            "/compute/1".parse().unwrap(),
            "/network/1".parse().unwrap(),
        )
        .into();
        let up = "http://schemas.ogf.org/occi/infrastructure/networkinterface/action#up";
        let plan = m
            .check_action(&nic, &ActionInvocation::new(id(up)))
            .unwrap();
        assert_eq!(plan.target_state.as_deref(), Some("active"));
    }

    #[test]
    fn required_parameters_and_defaults() {
        let m = Model::infrastructure(V1_1);
        let online: Entity = Resource::new(id(ids::STORAGE))
            .with_attribute("occi.storage.state".parse().unwrap(), "online")
            .into();
        let resize = ActionInvocation::new(id(ids::STORAGE_RESIZE));
        assert_eq!(
            m.check_action(&online, &resize).unwrap_err().kind(),
            &ErrorKind::InvalidParameter("missing required parameter size".into())
        );
        let resize = resize.with_attribute("size".parse().unwrap(), 20.0);
        assert_eq!(
            m.check_action(&online, &resize)
                .unwrap()
                .target_state
                .as_deref(),
            Some("resize")
        );
    }

    #[test]
    fn method_enums() {
        for m in StopMethod::ALL {
            assert_eq!(m.as_str().parse::<StopMethod>().unwrap(), *m);
        }
        for m in RestartMethod::ALL {
            assert_eq!(m.to_string().parse::<RestartMethod>().unwrap(), *m);
        }
        for m in SuspendMethod::ALL {
            assert_eq!(m.as_str().parse::<SuspendMethod>().unwrap(), *m);
        }
        assert_eq!(SaveMethod::ALL.len(), 2);
        // rOCCI's spelling is not the document's.
        assert!("deffered".parse::<SaveMethod>().is_err());
        // The enums and the registry agree.
        let model = Model::infrastructure(V1_2);
        let values = |action: &str| match model
            .action(action)
            .and_then(|a| a.attribute("method"))
            .map(|a| a.attr_type.clone())
        {
            Some(crate::AttributeType::Enum(v)) => v,
            _ => vec![],
        };
        let stop: Vec<String> = StopMethod::ALL.iter().map(|m| m.as_str().into()).collect();
        let save: Vec<String> = SaveMethod::ALL.iter().map(|m| m.as_str().into()).collect();
        assert_eq!(values(ids::COMPUTE_STOP), stop);
        assert_eq!(values(ids::COMPUTE_SAVE), save);
    }
}
