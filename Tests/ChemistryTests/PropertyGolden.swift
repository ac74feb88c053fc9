import Compression
import Foundation
@testable import Chemistry

/// The part-II golden files (`NAME.props.csv.gz`, written by `scripts/chem/props_golden.py` with RDKit 2026.9.1
/// from the inputs of the part-I golden files), parsed once per test process with their molecules.
struct PropertyGolden {
    struct Entry {
        let row: [String: String]
        /// Our molecule, nil where RDKit or we reject the input (validity itself is tested in part I).
        let molecule: Molecule?
        /// Our properties of `molecule`, computed once for all test classes.
        let properties: MoleculeProperties?
        var context: String { "#\(row["idx"] ?? "?") \(row["input"] ?? "")" }
        func double(_ column: String) -> Double? { row[column].flatMap { Double($0) } }
        func int(_ column: String) -> Int? { row[column].flatMap { Int($0) } }
    }

    let name: String
    let entries: [Entry]

    /// Valid rows with our molecule.
    var valid: [Entry] { entries.filter { $0.row["valid"] == "1" && $0.molecule != nil } }

    /// A committed golden set (`Fixtures/NAME.props.csv.gz`), or, for a name containing "/", any props file
    /// written by `props_golden.py` (e.g. a large uncommitted fuzz run, see `RT_CHEM_PROPS_EXTRA`).
    init(_ name: String) throws {
        self.name = name
        let rows: [[String: String]]
        if name.contains("/") {
            let gz = GzipReader(source: try FileByteSource(path: name))
            var bytes: [UInt8] = []
            while let chunk = try gz.nextChunk() { bytes += chunk }
            var lines = GoldenFile.parseCSV(String(decoding: bytes, as: UTF8.self))
            let header = lines.isEmpty ? [] : lines.removeFirst()
            rows = lines.map { Dictionary(uniqueKeysWithValues: zip(header, $0 + Array(repeating: "", count: max(0, header.count - $0.count)))) }
        } else {
            rows = try GoldenFile.rows(name + ".props.csv.gz")
        }
        entries = rows.map { row in
            let molecule = row["valid"] == "1" ? try? Molecule(smiles: row["input"] ?? "") : nil
            return Entry(row: row, molecule: molecule, properties: molecule.map { MoleculeProperties($0) })
        }
    }

    static let curatedNames = GoldenFile.curated
    private static let cache = Cache()

    /// The curated sets (100 % agreement required).
    static func curated() throws -> [PropertyGolden] { try curatedNames.map { try cache.get($0) } }
    /// The generated-molecule fuzz set.
    static func fuzz() throws -> PropertyGolden { try cache.get(GoldenFile.fuzz) }

    final class Cache: @unchecked Sendable {
        private var sets: [String: PropertyGolden] = [:]
        private let lock = NSLock()
        func get(_ name: String) throws -> PropertyGolden {
            lock.lock()
            defer { lock.unlock() }
            if let s = sets[name] { return s }
            let s = try PropertyGolden(name)
            sets[name] = s
            return s
        }
    }
}

/// Agreement counting for float columns: |ours − RDKit| ≤ tolerance.
extension Agreement {
    mutating func check(_ column: String, _ ours: Double, _ theirs: Double?, tolerance: Double, context: String) {
        guard let theirs else { return }
        let ok = abs(ours - theirs) <= tolerance || (ours.isNaN && theirs.isNaN)
        check(column, ok ? "ok" : "\(ours)", ok ? "ok" : "\(theirs)", context: context)
    }

    mutating func check(_ column: String, _ ours: Int, _ theirs: Int?, context: String) {
        guard let theirs else { return }
        check(column, String(ours), String(theirs), context: context)
    }
}
