//! The property the `image_list_json` fuzz target checks, shared with the corpus replay test
//! (`tests/fuzz_corpus.rs`). The fuzz target includes this file by path.

use image_list::{Event, Options, Policy, Profile, Severity, Subscription, Verdict, parse, update};

/// Never panics in any profile; every problem's position lies within the input; an error
/// result holds an error; a list that reads writes back to text that reads back equal; an
/// update by the same list is identical (same bytes) or changes nothing (other bytes); a list
/// `Strict` accepts, `Compatible` and `Tolerant` accept too.
pub(crate) fn image_list_json(data: &[u8]) {
    let mut accepted = Vec::new();
    for profile in [Profile::Strict, Profile::Compatible, Profile::Tolerant] {
        let options = Options::new(profile);
        match parse(data, &options) {
            Ok(parsed) => {
                for w in &parsed.warnings {
                    assert_eq!(w.severity, Severity::Warning, "{w}");
                    assert!(w.position.offset <= data.len(), "{w}");
                }
                let text = parsed.list.to_json();
                let again = parse(text.as_bytes(), &options)
                    .unwrap_or_else(|e| panic!("{profile:?}: written list refused: {e}\n{text}"));
                assert_eq!(again.list, parsed.list, "{text}");
                // The same list again: identical bytes are nothing to do; the same list in
                // other bytes changes nothing (images past their own expiry aside).
                let list = &parsed.list;
                let policy = Policy::new(list.created);
                let sub = Subscription {
                    previous: Some((list, data)),
                    others: &[],
                };
                assert_eq!(update(data, list, &sub, &policy), Verdict::Identical);
                match update(text.as_bytes(), list, &sub, &policy) {
                    Verdict::Accepted {
                        events,
                        same_version,
                    } => {
                        assert!(same_version);
                        assert!(
                            events
                                .iter()
                                .all(|e| matches!(e, Event::ImageExpired { .. })),
                            "{events:?}"
                        );
                    }
                    Verdict::Refused(r) => assert!(list.created > list.expires, "{r:?}"),
                    other => assert_eq!(text.as_bytes(), data, "{other:?}"),
                }
                accepted.push(true);
            }
            Err(e) => {
                assert!(e.first().is_some(), "{e:?}");
                for p in &e.problems {
                    assert!(p.position.offset <= data.len(), "{p}");
                }
                accepted.push(false);
            }
        }
    }
    if accepted.first() == Some(&true) {
        assert!(accepted.iter().all(|a| *a), "{accepted:?}");
    }
}
