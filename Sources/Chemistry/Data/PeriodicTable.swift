import Foundation

/// One element of the periodic table, as RDKit 2026.9.1 knows it (`Code/GraphMol/atomic_data.cpp`, exported to
/// `Resources/periodic_table.tsv`; see `Resources/NOTICE-RDKit-tables.txt`).
public struct Element: Sendable {
    public let atomicNumber: Int
    public let symbol: String
    /// Average atomic weight (g/mol).
    public let atomicWeight: Double
    /// RDKit's default valence; −1 = no default (transition metals: no implicit H).
    public let defaultValence: Int
    /// Allowed valences in increasing order; a trailing −1 means "anything above is allowed too".
    public let valences: [Int]
    /// Number of outer-shell electrons.
    public let outerElectrons: Int
    public let mostCommonIsotope: Int
    public let mostCommonIsotopeMass: Double
}

/// The periodic table and isotope masses, loaded once from the module's resource files.
public enum PeriodicTable {
    /// Elements indexed by atomic number (0 = dummy atom `*`).
    public static let elements: [Element] = loadElements()
    /// Largest atomic number in the table.
    public static var maxAtomicNumber: Int { elements.count - 1 }

    static let symbolToNumber: [String: Int] = {
        var map: [String: Int] = [:]
        for e in elements { map[e.symbol] = e.atomicNumber }
        return map
    }()

    /// Atomic number for an element symbol (`"Cl"` → 17), nil if unknown.
    public static func atomicNumber(of symbol: String) -> Int? { symbolToNumber[symbol] }

    /// Element symbol for an atomic number (`"*"` for 0).
    @inlinable public static func symbol(_ z: Int) -> String { elements[z].symbol }

    /// RDKit `PeriodicTable::moreElectroNegative`: more outer electrons wins; on a tie the lighter element.
    public static func moreElectronegative(_ z1: Int, than z2: Int) -> Bool {
        let e1 = elements[z1].outerElectrons, e2 = elements[z2].outerElectrons
        return e1 > e2 || (e1 == e2 && z1 < z2)
    }

    /// Mass of a given isotope (nil if the table has no such isotope).
    public static func isotopeMass(atomicNumber z: Int, massNumber: Int) -> Double? {
        isotopeMasses[IsotopeKey(z: UInt16(clamping: z), a: UInt16(clamping: massNumber))]
    }

    struct IsotopeKey: Hashable { var z: UInt16; var a: UInt16 }
    static let isotopeMasses: [IsotopeKey: Double] = loadIsotopes()

    static func resourceText(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "tsv", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: name, withExtension: "tsv"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // The resource ships inside the package; its absence is a broken installation, not bad input.
            fatalError("Chemistry resource \(name).tsv is missing from the module bundle")
        }
        return text
    }

    static func loadElements() -> [Element] {
        var out: [Element] = []
        for line in resourceText("periodic_table").split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 8, let z = Int(f[0]) else { continue }
            out.append(Element(
                atomicNumber: z, symbol: f[1], atomicWeight: Double(f[2]) ?? 0,
                defaultValence: Int(f[3]) ?? -1,
                valences: f[4].split(separator: ",").compactMap { Int($0) },
                outerElectrons: Int(f[5]) ?? 0, mostCommonIsotope: Int(f[6]) ?? 0,
                mostCommonIsotopeMass: Double(f[7]) ?? 0))
        }
        precondition(out.enumerated().allSatisfy { $0.offset == $0.element.atomicNumber }, "periodic table out of order")
        return out
    }

    static func loadIsotopes() -> [IsotopeKey: Double] {
        var out: [IsotopeKey: Double] = [:]
        for line in resourceText("isotopes").split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t")
            guard f.count >= 4, let z = UInt16(f[0]), let a = UInt16(f[2]), let m = Double(f[3]) else { continue }
            out[IsotopeKey(z: z, a: a)] = m
        }
        return out
    }
}
