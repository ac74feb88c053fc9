import CKernels
import Foundation

/// The processor this process runs on, as far as the kernels care: identification, the instruction sets that are
/// safe to execute (reported by CPUID *and* enabled by the OS), and the kernel level in use.
public enum CPU {
    /// Instruction sets the kernels may use.
    public struct Features: OptionSet, Sendable, CustomStringConvertible {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let avx2 = Features(rawValue: UInt32(RT_CPU_AVX2))
        public static let avx512f = Features(rawValue: UInt32(RT_CPU_AVX512F))
        public static let avx512bw = Features(rawValue: UInt32(RT_CPU_AVX512BW))
        public static let avx512vl = Features(rawValue: UInt32(RT_CPU_AVX512VL))
        public static let avx512dq = Features(rawValue: UInt32(RT_CPU_AVX512DQ))
        public static let avx512bf16 = Features(rawValue: UInt32(RT_CPU_AVX512_BF16))
        public static let avx512vnni = Features(rawValue: UInt32(RT_CPU_AVX512_VNNI))
        public static let amxTile = Features(rawValue: UInt32(RT_CPU_AMX_TILE))
        public static let amxBF16 = Features(rawValue: UInt32(RT_CPU_AMX_BF16))
        public static let avx512fp16 = Features(rawValue: UInt32(RT_CPU_AVX512_FP16))

        static let names: [(Features, String)] = [
            (.avx2, "avx2+fma"), (.avx512f, "avx512f"), (.avx512bw, "avx512bw"), (.avx512vl, "avx512vl"),
            (.avx512dq, "avx512dq"), (.avx512vnni, "avx512_vnni"), (.avx512bf16, "avx512_bf16"),
            (.avx512fp16, "avx512_fp16"), (.amxTile, "amx_tile"), (.amxBF16, "amx_bf16"),
        ]

        /// The flag names, `/proc/cpuinfo` style, separated by spaces ("none" when empty).
        public var description: String {
            let present = Features.names.filter { contains($0.0) }.map(\.1)
            return present.isEmpty ? "none" : present.joined(separator: " ")
        }
    }

    /// The instruction sets of this machine.
    public static let features = Features(rawValue: rt_cpu_features())

    /// The processor's brand string (e.g. "AMD EPYC 9454P 48-Core Processor"), or "unknown".
    public static let brand: String = {
        var buffer = [CChar](repeating: 0, count: 64)
        rt_cpu_brand(&buffer)
        let s = String(cString: buffer).trimmingCharacters(in: .whitespaces)
        return s.isEmpty ? "unknown" : s
    }()

    /// CPUID family, model and stepping (-1 each where CPUID does not exist).
    public static let signature: (family: Int, model: Int, stepping: Int) = {
        var f: Int32 = 0, m: Int32 = 0, s: Int32 = 0
        rt_cpu_signature(&f, &m, &s)
        return (Int(f), Int(m), Int(s))
    }()

    /// One line naming the CPU: brand, family/model/stepping, features.
    public static var summary: String {
        let sig = signature
        return "\(brand) (family \(sig.family), model \(sig.model), stepping \(sig.stepping)); \(features)"
    }

    /// A level of our own kernels, from the baseline up.
    public enum KernelLevel: String, CaseIterable, Comparable, Sendable {
        /// AVX2 + FMA (x86-64-v3): the Swift kernels the package is compiled for.
        case avx2
        /// AVX-512F: the C micro-kernels of `CKernels`.
        case avx512

        public static func < (a: KernelLevel, b: KernelLevel) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }

        /// The instruction sets the level needs.
        public var requiredFeatures: Features {
            switch self {
            case .avx2: return []  // the baseline every build assumes
            case .avx512: return .avx512f
            }
        }

        /// Whether this machine can run the level.
        public var isSupported: Bool { CPU.features.contains(requiredFeatures) }
    }

    /// The highest level this machine supports.
    public static var bestLevel: KernelLevel { KernelLevel.allCases.last { $0.isSupported } ?? .avx2 }

    /// The level `RT_CPU` asks for (any case), or nil when unset or empty.
    /// - Throws: `TensorError.environment` for an unknown name or a level this CPU lacks (naming the flag).
    public static func levelFromEnvironment() throws -> KernelLevel? {
        guard let value = ProcessInfo.processInfo.environment["RT_CPU"], !value.isEmpty else { return nil }
        guard let level = KernelLevel(rawValue: value.lowercased()) else {
            let names = KernelLevel.allCases.map(\.rawValue).joined(separator: ", ")
            throw TensorError.environment(variable: "RT_CPU", detail: "'\(value)' is not a kernel level (expected one of \(names))")
        }
        guard level.isSupported else {
            throw TensorError.environment(
                variable: "RT_CPU",
                detail: "this CPU cannot run '\(level.rawValue)': it lacks \(level.requiredFeatures) (has: \(features))")
        }
        return level
    }

    /// The kernel level in use, decided once: `RT_CPU` when set and usable, else the best this CPU supports. An
    /// unusable `RT_CPU` falls back to the best level with a warning on stderr (tools call `levelFromEnvironment()`
    /// first to turn it into an error).
    public static let level: KernelLevel = {
        do { return try levelFromEnvironment() ?? bestLevel } catch {
            FileHandle.standardError.write(Data("warning: \(error); using \(bestLevel.rawValue)\n".utf8))
            return bestLevel
        }
    }()
}
