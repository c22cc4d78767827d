//! Collections: pure domain logic (owned by the collections work).
