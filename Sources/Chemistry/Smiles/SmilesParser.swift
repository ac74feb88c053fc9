/// A SMILES reader for the OpenSMILES grammar as RDKit accepts it: organic-subset and aromatic atoms, bracket
/// atoms (`[13CH3+:1]`, `[C@@H]`, `[nH]`, `[se]`), bonds `- = # $ : / \` and dative `->`/`<-`, branches, ring
/// closures (`1`, `%12`, `%(123)`, also across dots), dots and `*`.
///
/// It builds the raw graph only (no hydrogens, valences or aromaticity): see `Sanitizer`. Text after the first
/// space or tab is ignored, as RDKit treats it as the molecule's name. Query bonds (`~`) are rejected.
public struct SmilesParser {
    /// Bond as written before the next atom or ring digit.
    struct PendingBond {
        var order: BondOrder?      // nil = unspecified (single, or aromatic between aromatic atoms)
        var isAromatic = false     // ':'
        var direction: BondDirection = .none
        var reversed = false       // '<-': dative bond points to the earlier atom
        var written: Bool { order != nil || isAromatic || direction != .none }
    }

    struct RingOpening {
        var atom: Int32
        var bond: PendingBond
    }

    var bytes: [UInt8]
    var pos = 0
    var atoms: [Atom] = []
    var bonds: [Bond] = []
    /// SMILES-order neighbours of chiral atoms (−1 = bracket H; ring openings hold `-(2 + label)` until closed).
    var chiralOrder: [Int32: [Int32]] = [:]

    init<S: StringProtocol>(_ smiles: S) { bytes = Array(smiles.utf8) }

    /// Parses `smiles` into an unsanitized graph.
    public static func parse<S: StringProtocol>(_ smiles: S) throws -> Molecule {
        var p = SmilesParser(smiles)
        return try p.run()
    }

    func error(_ message: String) -> MoleculeError {
        MoleculeError(.parse, "\(message) at position \(pos + 1)")
    }

    mutating func run() throws -> Molecule {
        // Leading/trailing whitespace is ignored; the first inner blank ends the SMILES.
        var start = 0, end = bytes.count
        while start < end && (bytes[start] == 32 || bytes[start] == 9 || bytes[start] == 13 || bytes[start] == 10) { start += 1 }
        var k = start
        while k < end && bytes[k] != 32 && bytes[k] != 9 && bytes[k] != 13 && bytes[k] != 10 { k += 1 }
        end = k
        pos = start

        var prev: Int32 = -1
        var pending = PendingBond()
        var branches: [Int32] = []
        var rings: [Int: RingOpening] = [:]
        var justOpenedBranch = false
        var lastWasDot = false

        while pos < end {
            let c = bytes[pos]
            switch c {
            case UInt8(ascii: "("):
                if prev < 0 { throw error("branch without a preceding atom") }
                if pending.written { throw error("bond before '('") }
                if justOpenedBranch { throw error("empty branch") }
                branches.append(prev)
                justOpenedBranch = true
                pos += 1
                continue
            case UInt8(ascii: ")"):
                if justOpenedBranch { throw error("empty branch") }
                if pending.written { throw error("bond before ')'") }
                guard let top = branches.popLast() else { throw error("unmatched ')'") }
                prev = top
                pos += 1
                continue
            case UInt8(ascii: "."):
                if prev < 0 || pending.written || justOpenedBranch { throw error("misplaced '.'") }
                prev = -1
                lastWasDot = true
                pos += 1
                continue
            case UInt8(ascii: "-"), UInt8(ascii: "="), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: ":"),
                 UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "<"):
                if prev < 0 { throw error("bond without a preceding atom") }
                if pending.written { throw error("two bond symbols in a row") }
                pending = try readBond(end: end)
                continue
            case UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "%"):
                if prev < 0 || justOpenedBranch { throw error("ring-closure digit without a preceding atom") }
                let label = try readRingLabel(end: end)
                if let open = rings.removeValue(forKey: label) {
                    if open.atom == prev { throw error("ring closure \(label) bonds an atom to itself") }
                    for b in bonds where (b.begin == open.atom && b.end == prev) || (b.begin == prev && b.end == open.atom) {
                        throw error("ring closure \(label) duplicates an existing bond")
                    }
                    // A bond symbol belongs to the atom it is written after: `X->1` at the opening means X→partner,
                    // `Y<-1` at the closing means partner→Y (matters for dative bonds only).
                    if open.bond.written { addBond(open.atom, prev, open.bond) } else { addBond(prev, open.atom, pending) }
                    chiralOrder[prev]?.append(open.atom)
                    if let k = chiralOrder[open.atom]?.firstIndex(of: Int32(-2 - label)) { chiralOrder[open.atom]![k] = prev }
                } else {
                    rings[label] = RingOpening(atom: prev, bond: pending)
                    chiralOrder[prev]?.append(Int32(-2 - label))
                }
                pending = PendingBond()
                continue
            case UInt8(ascii: "~"):
                throw error("query bond '~' is not a molecule bond")
            default:
                break
            }
            // An atom.
            let atom = try readAtom(end: end)
            let index = Int32(atoms.count)
            atoms.append(atom)
            if atom.chirality == .anticlockwise || atom.chirality == .clockwise {
                var order: [Int32] = prev >= 0 ? [prev] : []
                if atom.explicitHydrogens > 0 { order.append(-1) }
                chiralOrder[index] = order
            }
            if prev >= 0 {
                chiralOrder[prev]?.append(index)
                addBond(prev, index, pending)
            } else if pending.written {
                throw error("bond without a preceding atom")
            }
            pending = PendingBond()
            prev = index
            justOpenedBranch = false
            lastWasDot = false
        }
        if pending.written { throw error("SMILES ends with a bond") }
        if justOpenedBranch || !branches.isEmpty { throw error("unclosed branch") }
        if lastWasDot { throw error("SMILES ends with '.'") }
        if let open = rings.keys.min() { throw MoleculeError(.parse, "unclosed ring \(open)") }
        var mol = Molecule(atoms: atoms, bonds: bonds)
        mol.chiralNeighbors = chiralOrder
        return mol
    }

    mutating func addBond(_ a: Int32, _ b: Int32, _ spec: PendingBond) {
        var bond: Bond
        if let order = spec.order {
            if order == .dative && spec.reversed {
                bond = Bond(begin: b, end: a, order: .dative)
            } else {
                bond = Bond(begin: a, end: b, order: order)
            }
        } else if spec.isAromatic {
            bond = Bond(begin: a, end: b, order: .aromatic, isAromatic: true)
        } else if atoms[Int(a)].isAromatic && atoms[Int(b)].isAromatic {
            bond = Bond(begin: a, end: b, order: .aromatic, isAromatic: true)
        } else {
            bond = Bond(begin: a, end: b, order: .single)
        }
        bond.direction = spec.direction
        bonds.append(bond)
    }

    mutating func readBond(end: Int) throws -> PendingBond {
        var p = PendingBond()
        let c = bytes[pos]
        pos += 1
        switch c {
        case UInt8(ascii: "-"):
            if pos < end && bytes[pos] == UInt8(ascii: ">") { pos += 1; p.order = .dative } else { p.order = .single }
        case UInt8(ascii: "="): p.order = .double
        case UInt8(ascii: "#"): p.order = .triple
        case UInt8(ascii: "$"): p.order = .quadruple
        case UInt8(ascii: ":"): p.isAromatic = true
        case UInt8(ascii: "/"): p.direction = .up
        case UInt8(ascii: "\\"):
            p.direction = .down
            if pos < end && bytes[pos] == UInt8(ascii: "\\") { pos += 1 }
        case UInt8(ascii: "<"):
            guard pos < end && bytes[pos] == UInt8(ascii: "-") else { throw error("unexpected '<'") }
            pos += 1
            p.order = .dative
            p.reversed = true
        default: throw error("unexpected character")
        }
        return p
    }

    mutating func readRingLabel(end: Int) throws -> Int {
        let c = bytes[pos]
        if c != UInt8(ascii: "%") { pos += 1; return Int(c - 48) }
        pos += 1
        if pos < end && bytes[pos] == UInt8(ascii: "(") {
            pos += 1
            var v = 0, digits = 0
            while pos < end && bytes[pos] >= 48 && bytes[pos] <= 57 && digits < 5 {
                v = v * 10 + Int(bytes[pos] - 48); pos += 1; digits += 1
            }
            guard digits > 0, pos < end, bytes[pos] == UInt8(ascii: ")") else { throw error("bad ring label '%(...)'") }
            pos += 1
            return v
        }
        guard pos + 1 < end, bytes[pos] >= 48, bytes[pos] <= 57, bytes[pos + 1] >= 48, bytes[pos + 1] <= 57 else {
            throw error("'%' must be followed by two digits")
        }
        let v = Int(bytes[pos] - 48) * 10 + Int(bytes[pos + 1] - 48)
        pos += 2
        return v
    }

    @inline(__always) func peek(_ offset: Int = 0, end: Int) -> UInt8 {
        pos + offset < end ? bytes[pos + offset] : 0
    }

    mutating func readAtom(end: Int) throws -> Atom {
        let c = bytes[pos]
        if c == UInt8(ascii: "[") { return try readBracketAtom(end: end) }
        var atom: Atom
        switch c {
        case UInt8(ascii: "C"):
            if peek(1, end: end) == UInt8(ascii: "l") { pos += 2; return Atom(atomicNumber: 17) }
            atom = Atom(atomicNumber: 6)
        case UInt8(ascii: "B"):
            if peek(1, end: end) == UInt8(ascii: "r") { pos += 2; return Atom(atomicNumber: 35) }
            atom = Atom(atomicNumber: 5)
        case UInt8(ascii: "N"): atom = Atom(atomicNumber: 7)
        case UInt8(ascii: "O"): atom = Atom(atomicNumber: 8)
        case UInt8(ascii: "P"): atom = Atom(atomicNumber: 15)
        case UInt8(ascii: "S"): atom = Atom(atomicNumber: 16)
        case UInt8(ascii: "F"): atom = Atom(atomicNumber: 9)
        case UInt8(ascii: "I"): atom = Atom(atomicNumber: 53)
        case UInt8(ascii: "*"): atom = Atom(atomicNumber: 0)
        case UInt8(ascii: "b"): atom = Atom(atomicNumber: 5); atom.isAromatic = true
        case UInt8(ascii: "c"): atom = Atom(atomicNumber: 6); atom.isAromatic = true
        case UInt8(ascii: "n"): atom = Atom(atomicNumber: 7); atom.isAromatic = true
        case UInt8(ascii: "o"): atom = Atom(atomicNumber: 8); atom.isAromatic = true
        case UInt8(ascii: "p"): atom = Atom(atomicNumber: 15); atom.isAromatic = true
        case UInt8(ascii: "s"): atom = Atom(atomicNumber: 16); atom.isAromatic = true
        default:
            throw error("unexpected character '\(Self.printable(c))'")
        }
        pos += 1
        return atom
    }

    static func printable(_ c: UInt8) -> String {
        (32 ..< 127).contains(c) ? String(UnicodeScalar(c)) : "byte 0x" + String(c, radix: 16)
    }

    static let aromaticBracketSymbols: [String: UInt8] = [
        "b": 5, "c": 6, "n": 7, "o": 8, "p": 15, "s": 16, "se": 34, "as": 33, "te": 52, "si": 14,
    ]

    mutating func readBracketAtom(end: Int) throws -> Atom {
        pos += 1  // '['
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
        func isLower(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
        var isotope = 0, isoDigits = 0
        while pos < end && isDigit(bytes[pos]) {
            isotope = isotope * 10 + Int(bytes[pos] - 48); pos += 1; isoDigits += 1
            if isoDigits > 4 { throw error("isotope too large") }
        }
        guard pos < end else { throw error("unclosed '['") }
        var atom: Atom
        let c = bytes[pos]
        if c == UInt8(ascii: "*") {
            atom = Atom(atomicNumber: 0); pos += 1
        } else if isUpper(c) {
            var z: Int? = nil
            if isLower(peek(1, end: end)) {
                let two = String(decoding: bytes[pos ..< pos + 2], as: UTF8.self)
                if let n = PeriodicTable.atomicNumber(of: two), n > 0 { z = n; pos += 2 }
            }
            if z == nil {
                let one = String(UnicodeScalar(c))
                guard let n = PeriodicTable.atomicNumber(of: one), n > 0 else { throw error("unknown element") }
                z = n; pos += 1
            }
            atom = Atom(atomicNumber: UInt8(z!))
        } else if isLower(c) {
            var z: UInt8? = nil
            if isLower(peek(1, end: end)) {
                let two = String(decoding: bytes[pos ..< pos + 2], as: UTF8.self)
                if let n = Self.aromaticBracketSymbols[two] { z = n; pos += 2 }
            }
            if z == nil {
                guard let n = Self.aromaticBracketSymbols[String(UnicodeScalar(c))] else { throw error("unknown aromatic element") }
                z = n; pos += 1
            }
            atom = Atom(atomicNumber: z!)
            atom.isAromatic = true
        } else {
            throw error("missing element in bracket atom")
        }
        atom.isotope = UInt16(isotope)
        atom.noImplicit = true
        // Chirality.
        if peek(end: end) == UInt8(ascii: "@") {
            pos += 1
            if peek(end: end) == UInt8(ascii: "@") {
                pos += 1
                atom.chirality = .clockwise
            } else if isUpper(peek(end: end)) && isUpper(peek(1, end: end)) {
                let cls = String(decoding: bytes[pos ..< pos + 2], as: UTF8.self)
                guard ["TH", "AL", "SP", "TB", "OH"].contains(cls) else { throw error("unknown chirality class") }
                pos += 2
                var digits = 0
                var value = 0
                while pos < end && isDigit(bytes[pos]) && digits < 2 { value = value * 10 + Int(bytes[pos] - 48); pos += 1; digits += 1 }
                if digits == 0 { throw error("chirality class without a number") }
                atom.chirality = cls == "TH" && value == 1 ? .anticlockwise : (cls == "TH" && value == 2 ? .clockwise : .other)
            } else {
                atom.chirality = .anticlockwise
            }
            if peek(end: end) == UInt8(ascii: "@") { throw error("bad chirality") }
        }
        // Hydrogen count.
        if peek(end: end) == UInt8(ascii: "H") {
            pos += 1
            var h = 1
            if pos < end && isDigit(bytes[pos]) {
                h = Int(bytes[pos] - 48); pos += 1
                if pos < end && isDigit(bytes[pos]) { throw error("hydrogen count too large") }
            }
            atom.explicitHydrogens = UInt8(h)
        }
        // Charge.
        let sign = peek(end: end)
        if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            pos += 1
            let s = sign == UInt8(ascii: "+") ? 1 : -1
            var charge = s
            if peek(end: end) == sign {
                pos += 1; charge = 2 * s
            } else if pos < end && isDigit(bytes[pos]) {
                var v = 0, digits = 0
                while pos < end && isDigit(bytes[pos]) && digits < 2 { v = v * 10 + Int(bytes[pos] - 48); pos += 1; digits += 1 }
                charge = s * v
            }
            guard abs(charge) <= 15 else { throw error("charge out of range") }
            atom.formalCharge = Int8(charge)
        }
        // Atom class.
        if peek(end: end) == UInt8(ascii: ":") {
            pos += 1
            var v = 0, digits = 0
            while pos < end && isDigit(bytes[pos]) && digits < 5 { v = v * 10 + Int(bytes[pos] - 48); pos += 1; digits += 1 }
            if digits == 0 { throw error("atom class without a number") }
            atom.atomClass = UInt16(clamping: v)
        }
        guard peek(end: end) == UInt8(ascii: "]") else { throw error("malformed bracket atom") }
        pos += 1
        return atom
    }
}
