import Foundation

/// Reads every era's response shapes into the typed model (see docs/moltbook-api.md).
/// All functions throw `ParseError` for bodies that are not JSON or have the wrong shape.
public enum MoltbookParser {
    // Implemented in the Parsing folder: see the extensions.
}
