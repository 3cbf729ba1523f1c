import Foundation

/// Reads every era's response shapes into the typed model (see docs/moltbook-api.md).
///
/// Every function accepts every era's shapes (snake_case or camelCase keys, offset or cursor
/// pages, embedded or separate comments, either error shape): callers never say which era a
/// body comes from. Bodies that are not JSON, or not the shape asked for, throw `ParseError`
/// with a one-line reason; quirks that leave a record usable set its `RecordFlags` instead.
///
/// The functions live in the other files of this folder, one job each.
public enum MoltbookParser {}
