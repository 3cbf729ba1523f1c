public enum MoltscopeVersion {
    public static let string = "0.1.0"
}
