import Testing

/// The parent of every numerics suite, serialized: their tests compute (and wait for the Python
/// references) on the calling thread, so at most one of them holds a thread of the cooperative
/// pool at a time and tests of other targets that measure responsiveness keep theirs.
@Suite(.serialized) struct NumericsTests {}
