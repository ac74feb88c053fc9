import Foundation

/// Constant tables of the descriptors, loaded once from the module's resources (exported from RDKit 2026.9.1 by
/// `scripts/chem/export_tables.py`; provenance and licence in `Resources/NOTICE-RDKit-tables.txt`).
enum DescriptorTables {
    /// Bytes of a bundled resource file. Its absence is a broken installation, not bad input.
    static func resource(_ name: String, _ ext: String) -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources")
            ?? Bundle.module.url(forResource: name, withExtension: ext),
            let data = try? Data(contentsOf: url)
        else {
            fatalError("Chemistry resource \(name).\(ext) is missing from the module bundle")
        }
        return data
    }

    /// Rows of a tab-separated resource, header dropped.
    static func tsvRows(_ name: String) -> [[Substring]] {
        let text = String(decoding: resource(name, "tsv"), as: UTF8.self)
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
    }

    /// `qed.json`: QED weights and desirability parameters, the acceptor, alert, donor and rotatable-bond SMARTS.
    static let qed: [String: Any] = {
        guard let object = try? JSONSerialization.jsonObject(with: resource("qed", "json")) as? [String: Any] else {
            fatalError("Chemistry resource qed.json is not valid JSON")
        }
        return object
    }()

    static func qedStrings(_ key: String) -> [String] { qed[key] as? [String] ?? [] }

    static func qedString(_ key: String) -> String { qed[key] as? String ?? "" }

    /// Parses a pattern shipped with the package (a failure is a broken resource, not user input).
    static func pattern(_ smarts: String) -> SmartsPattern {
        do { return try SmartsPattern(smarts) } catch { fatalError("bundled SMARTS does not parse: \(error)") }
    }
}
