import Compression
import Compression
import Foundation
@testable import Chemistry

/// A golden CSV written by `scripts/chem/chem_golden.py` (RDKit 2026.9.1 + selfies 1.0.4; generator command and
/// versions in the `.meta.json` beside each file).
struct GoldenFile {
    let name: String
    let header: [String]
    let rows: [[String: String]]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The curated sets (100 % agreement required) and the fuzz set of decoded random SELFIES.
    static let curated = ["edge_cases", "rt_examples", "esol", "freesolv", "lipophilicity", "moses_sample", "zinc_sample"]
    static let fuzz = "fuzz_selfies"

    init(_ name: String) throws {
        self.name = name
        var lines = Self.parseCSV(try Self.text(name + ".golden.csv"))
        let header = lines.removeFirst()
        self.header = header
        rows = lines.map { fields in
            var row: [String: String] = [:]
            for (k, h) in header.enumerated() { row[h] = k < fields.count ? fields[k] : "" }
            return row
        }
    }

    /// Text of a fixture file; `name.gz` is read (and decompressed) when `name` itself is not there.
    static func text(_ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        let exists = FileManager.default.fileExists(atPath: url.path)
        if exists && !name.hasSuffix(".gz") { return try String(contentsOf: url, encoding: .utf8) }
        let gz = GzipReader(source: try FileByteSource(path: exists ? url.path : url.path + ".gz"))
        var bytes: [UInt8] = []
        while let chunk = try gz.nextChunk() { bytes += chunk }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Rows of a (possibly gzipped) fixture CSV as dictionaries keyed by the header.
    static func rows(_ name: String) throws -> [[String: String]] {
        var lines = parseCSV(try text(name))
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst()
        return lines.map { fields in
            var row: [String: String] = [:]
            for (k, h) in header.enumerated() { row[h] = k < fields.count ? fields[k] : "" }
            return row
        }
    }

    /// Minimal RFC 4180 reader (quoted fields with doubled quotes), enough for Python's csv writer output.
    static func parseCSV(_ text: String) -> [[String]] {
        var out: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" {
                row.append(field); field = ""
                out.append(row); row = []
            } else if c != "\r" {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); out.append(row) }
        return out
    }
}

/// Counts agreement per column and keeps the first few differences for the failure message.
struct Agreement {
    var total: [String: Int] = [:]
    var agree: [String: Int] = [:]
    var examples: [String: [String]] = [:]

    mutating func check(_ column: String, _ ours: String, _ theirs: String, context: String) {
        total[column, default: 0] += 1
        if ours == theirs {
            agree[column, default: 0] += 1
        } else if examples[column, default: []].count < 8 {
            examples[column, default: []].append("\(context): ours=\(ours) rdkit=\(theirs)")
        }
    }

    func rate(_ column: String) -> Double {
        guard let t = total[column], t > 0 else { return 1 }
        return Double(agree[column] ?? 0) / Double(t)
    }

    func mismatches(_ column: String) -> Int { (total[column] ?? 0) - (agree[column] ?? 0) }

    var summary: String {
        total.keys.sorted().map { c in
            let t = total[c]!, a = agree[c] ?? 0
            var s = "\(c): \(a)/\(t)"
            if a < t { s += "\n    " + (examples[c] ?? []).joined(separator: "\n    ") }
            return s
        }.joined(separator: "\n")
    }
}

/// Per-molecule facts compared against the golden columns.
enum MoleculeFacts {
    static func digit(_ n: Int) -> String { n <= 9 ? String(n) : "X" }

    static func columns(_ mol: Molecule) -> [String: String] {
        var c: [String: String] = [:]
        c["n_atoms"] = String(mol.atomCount)
        c["arom"] = mol.atoms.map { $0.isAromatic ? "1" : "0" }.joined()
        c["h_total"] = mol.atoms.map { digit($0.totalHydrogens) }.joined()
        c["h_implicit"] = mol.atoms.map { digit($0.noImplicit ? 0 : Int($0.implicitHydrogens)) }.joined()
        c["charges"] = mol.atoms.enumerated().filter { $0.element.formalCharge != 0 }
            .map { "\($0.offset):\($0.element.formalCharge)" }.joined(separator: " ")
        c["n_radicals"] = String(mol.atoms.reduce(0) { $0 + Int($1.radicalElectrons) })
        c["n_arom_bonds"] = String(mol.bonds.filter { $0.isAromatic }.count)
        c["ring_sizes"] = mol.rings.atomRings.map { $0.count }.sorted().map(String.init).joined(separator: " ")
        c["sssr"] = String(mol.rings.cyclomaticNumber)
        return c
    }

    static let sanitizeColumns = ["n_atoms", "arom", "h_total", "h_implicit", "charges", "n_radicals", "n_arom_bonds",
                                  "ring_sizes", "sssr"]

    /// Compares parse + sanitize against one golden row.
    static func compare(_ row: [String: String], into agreement: inout Agreement, context: String) {
        let input = row["input"] ?? ""
        let expectedValid = row["valid"] == "1"
        do {
            let mol = try Molecule(smiles: input)
            agreement.check("valid", "1", expectedValid ? "1" : "0", context: context)
            agreement.check("error_class", "", row["error_class"] ?? "", context: context)
            guard expectedValid else { return }
            let ours = columns(mol)
            for col in sanitizeColumns {
                agreement.check(col, ours[col] ?? "", row[col] ?? "", context: context)
            }
        } catch let error as MoleculeError {
            agreement.check("valid", "0", expectedValid ? "1" : "0", context: "\(context) [\(error)]")
            if !expectedValid {
                agreement.check("error_class", error.kind.rawValue, row["error_class"] ?? "", context: "\(context) [\(error)]")
            }
        } catch {
            agreement.check("valid", "error \(error)", expectedValid ? "1" : "0", context: context)
        }
    }
}
