import Dispatch
import Foundation

/// The table `rt chem props` writes: one CSV row per input line, in input order.
///
/// Columns: `smiles,valid,mw,logp,mr,tpsa,hba,hbd,rotb,arom,alerts,qed,sa,plogp`, then `morgan` (the on-bits of the
/// folded Morgan fingerprint, space-separated) when requested, then `error` (why the line is not a valid molecule;
/// empty otherwise). For an invalid molecule every property cell is empty. `hba`, `hbd`, `rotb`, `arom`, `alerts`
/// are QED's definitions; `plogp` is the unnormalised penalised logP with the JT-VAE ring penalty (the definition
/// of the `plogp` labels in the MOSES/ZINC data). Floats are written in their shortest round-trip form.
public struct PropertyTable: Sendable {
    /// Morgan fingerprint column settings (nil: no `morgan` column).
    public struct Fingerprint: Sendable {
        public var radius: Int
        public var size: Int
        public init(radius: Int = 2, size: Int = 2048) {
            self.radius = radius
            self.size = size
        }
    }

    public let fingerprint: Fingerprint?

    public init(fingerprint: Fingerprint? = nil) { self.fingerprint = fingerprint }

    public var header: [String] {
        ["smiles", "valid", "mw", "logp", "mr", "tpsa", "hba", "hbd", "rotb", "arom", "alerts", "qed", "sa", "plogp"]
            + (fingerprint == nil ? [] : ["morgan"]) + ["error"]
    }

    /// The CSV header line (no newline).
    public var headerLine: String { header.joined(separator: ",") }

    /// One CSV row (no newline) and, when the row failed, its `error` cell.
    public struct Row: Sendable, Equatable {
        public var line: String
        /// The reason in the `error` column; nil for a row with properties.
        public var error: String?
    }

    /// The row of an input whose properties could not be computed: `valid` (0 for an input that is not a valid
    /// molecule — or not even text —, 1 for a valid one beyond a limit), empty cells, `reason` in `error`.
    public func failureRow(for input: Substring, valid: Bool, reason: String) -> Row {
        let cells = [String(LineConversion.firstToken(input)), valid ? "1" : "0"]
            + [String](repeating: "", count: header.count - 3) + [reason]
        return Row(line: cells.map(Self.csvField).joined(separator: ","), error: reason)
    }

    /// The CSV row for one input line; its first whitespace-separated token is the SMILES.
    public func row(for input: Substring) -> Row {
        let token = LineConversion.firstToken(input)
        let molecule: Molecule
        do {
            guard !token.isEmpty else { throw MoleculeError(.parse, "empty input") }
            molecule = try Molecule(smiles: token)
        } catch {
            return failureRow(for: input, valid: false, reason: "\(error)")
        }
        let p: MoleculeProperties
        do { p = try MoleculeProperties(molecule, workLimit: CanonicalRanking.defaultWorkLimit) } catch {
            return failureRow(for: input, valid: true, reason: "\(error)")
        }
        let q = p.qedProperties
        var cells = [String(token), "1", "\(p.molecularWeight)", "\(p.logP)", "\(p.molarRefractivity)", "\(p.tpsa)",
                     "\(q.hba)", "\(q.hbd)", "\(q.rotb)", "\(q.arom)", "\(q.alerts)", "\(p.qed)",
                     p.sa.isNaN ? "" : "\(p.sa)", p.penalizedLogP.isNaN ? "" : "\(p.penalizedLogP)"]
        if let fingerprint {
            let fp = fingerprint.radius == 2 ? p.morgan : MorganFingerprint(molecule, radius: fingerprint.radius)
            cells.append(fp.bits(size: fingerprint.size).onBits.map(String.init).joined(separator: " "))
        }
        cells.append("")
        return Row(line: cells.map(Self.csvField).joined(separator: ","), error: nil)
    }

    /// Rows for a batch of inputs, computed on `threads` threads; the result is in input order.
    public func rows(for inputs: [Substring], threads: Int) -> [Row] {
        var out = [Row](repeating: Row(line: "", error: nil), count: inputs.count)
        let workers = max(1, min(threads, inputs.count))
        if workers == 1 {
            for (k, input) in inputs.enumerated() { out[k] = row(for: input) }
            return out
        }
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var k = w
                while k < inputs.count {
                    (base + k).pointee = row(for: inputs[k])
                    k += workers
                }
            }
        }
        return out
    }

    /// RFC 4180 quoting when needed.
    static func csvField(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
