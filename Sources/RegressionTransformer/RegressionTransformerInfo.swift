/// Facts about this build of the library.
public enum RegressionTransformerInfo {
    /// The version `rt --version` prints.
    public static let version = "0.1.0-dev"
}
