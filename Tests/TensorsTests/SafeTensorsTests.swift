import TensorIO
import Foundation
import CKernels
import XCTest
@testable import Tensors

/// Reading files written by the Python `safetensors` package (Fixtures/safetensors), our own round trip, and
/// clear errors for malformed or truncated files.
final class SafeTensorsTests: XCTestCase {
    func checkFixture(_ name: String) throws {
        let expected = try Fixtures.json("safetensors/\(name).json")
        let file = try SafeTensorsFile(contentsOf: Fixtures.url("safetensors/\(name).safetensors"))
        XCTAssertEqual(file.dataStart, 8 + (expected["header_length"] as! Int))
        XCTAssertEqual(file.metadata, (expected["metadata"] as? [String: String]) ?? [:])
        let tensors = expected["tensors"] as! [[String: Any]]
        XCTAssertEqual(file.names, tensors.map { $0["name"] as! String })
        for t in tensors {
            let tname = t["name"] as! String
            let e = try file.entry(tname)
            XCTAssertEqual(e.dtype.rawValue, t["dtype"] as! String)
            XCTAssertEqual(e.shape, Shape(t["shape"] as! [Int]))
            let offs = t["data_offsets"] as! [Int]
            XCTAssertEqual(e.dataOffsets, offs[0]..<offs[1])
            let values = try file.tensor(tname).scalars
            let want = Fixtures.doubles(t["values"])
            XCTAssertEqual(values.count, want.count, tname)
            for (got, w) in zip(values, want) {
                if w.isNaN { XCTAssertTrue(got.isNaN, tname); continue }
                // Float32 conversion of the exact value (F64 rounds; I64 beyond 2^24 rounds).
                XCTAssertEqual(got, Float(w), "\(tname)")
                if w == 0 { XCTAssertEqual(got.sign, w.sign, "\(tname): sign of zero") }
            }
            if let exact = t["values_exact"] as? [String] {
                XCTAssertEqual(try file.integers(tname), exact.map { Int64($0)! }, tname)
            }
        }
    }

    func testReadsPythonWrittenFile() throws { try checkFixture("dtypes") }

    func testReadsOtherDtypes() throws {
        try checkFixture("other_dtypes")
        let file = try SafeTensorsFile(contentsOf: Fixtures.url("safetensors/other_dtypes.safetensors"))
        XCTAssertEqual(try file.integers("flags_bool"), [1, 0, 0, 1])
        XCTAssertThrowsError(try file.integers("double_f64")) { e in XCTAssertTrue("\(e)".contains("not an integer type"), "\(e)") }
        XCTAssertThrowsError(try file.tensor("missing")) { e in XCTAssertTrue("\(e)".contains("no tensor named 'missing'"), "\(e)") }
    }

    /// F16 special values decode exactly (subnormals, ±65504, ±∞).
    func testHalfPrecisionConversions() {
        XCTAssertEqual(HalfPrecision.float(fromF16: 0x0001), 0x1p-24)
        XCTAssertEqual(HalfPrecision.float(fromF16: 0x03FF), Float(1023) * 0x1p-24)
        XCTAssertEqual(HalfPrecision.float(fromF16: 0x0400), 0x1p-14)
        XCTAssertEqual(HalfPrecision.float(fromF16: 0x7BFF), 65504)
        XCTAssertEqual(HalfPrecision.float(fromF16: 0xFBFF), -65504)
        XCTAssertEqual(HalfPrecision.float(fromF16: 0x7C00), .infinity)
        XCTAssertTrue(HalfPrecision.float(fromF16: 0x7E00).isNaN)
        XCTAssertEqual(HalfPrecision.float(fromF16: 0x3C00), 1)
        XCTAssertEqual(HalfPrecision.float(fromF16: 0x8000).sign, .minus)
        XCTAssertEqual(HalfPrecision.float(fromBF16: 0x3F80), 1)
        XCTAssertEqual(HalfPrecision.float(fromBF16: 0xC040), -3)
    }

    /// Tensors read from the Python-written file and written back by our writer read back bit for bit, with
    /// the data section 8-byte aligned like the reference writer's.
    func testWriterRoundTripsPythonTensors() throws {
        let file = try SafeTensorsFile(contentsOf: Fixtures.url("safetensors/dtypes.safetensors"))
        let names = ["empty_f32", "odd_f32", "one_f32", "scalar_f32", "special_f32", "weight_f32"]
        let data = try SafeTensorsWriter.encode(names.map { ($0, try file.tensor($0)) }, metadata: ["format": "pt"])
        let back = try SafeTensorsFile(data: data, path: "memory")
        XCTAssertEqual(back.names, names)
        XCTAssertEqual(back.dataStart % 8, 0)
        for n in names {
            let a = try back.tensor(n).scalars.map(\.bitPattern), b = try file.tensor(n).scalars.map(\.bitPattern)
            XCTAssertEqual(a, b, n)
            XCTAssertEqual(try back.entry(n).shape, try file.entry(n).shape)
        }
        XCTAssertThrowsError(try SafeTensorsWriter.encode([("a", Tensor.zeros([1])), ("a", Tensor.zeros([1]))]))
        XCTAssertThrowsError(try SafeTensorsWriter.encode([("__metadata__", Tensor.zeros([1]))]))
        // Names that need escaping survive.
        let odd = try SafeTensorsFile(data: SafeTensorsWriter.encode([("a\"b\\c\nd é", Tensor.ones([2]))]), path: "m")
        XCTAssertEqual(odd.names, ["a\"b\\c\nd é"])
    }

    /// Float → bfloat16: round to nearest, ties to even, overflow to ∞, NaN kept; the same bits as the GEMM
    /// packer's C conversion on 100,000 random bit patterns.
    func testBF16Rounding() {
        XCTAssertEqual(HalfPrecision.bf16(from: 1), 0x3F80)
        XCTAssertEqual(HalfPrecision.bf16(from: -3), 0xC040)
        XCTAssertEqual(HalfPrecision.bf16(from: 3.14159265), 0x4049)
        XCTAssertEqual(HalfPrecision.bf16(from: Float(bitPattern: 0x3F80_8000)), 0x3F80, "a tie goes to the even neighbour")
        XCTAssertEqual(HalfPrecision.bf16(from: Float(bitPattern: 0x3F81_8000)), 0x3F82, "a tie goes to the even neighbour")
        XCTAssertEqual(HalfPrecision.bf16(from: Float(bitPattern: 0x3F80_8001)), 0x3F81)
        XCTAssertEqual(HalfPrecision.bf16(from: Float(bitPattern: 0x3F80_7FFF)), 0x3F80)
        XCTAssertEqual(HalfPrecision.bf16(from: .greatestFiniteMagnitude), 0x7F80, "beyond the largest bfloat16: ∞")
        XCTAssertEqual(HalfPrecision.bf16(from: -.infinity), 0xFF80)
        XCTAssertEqual(HalfPrecision.bf16(from: -0.0), 0x8000)
        XCTAssertTrue(HalfPrecision.float(fromBF16: HalfPrecision.bf16(from: .nan)).isNaN)
        XCTAssertTrue(HalfPrecision.float(fromBF16: HalfPrecision.bf16(from: Float(bitPattern: 0x7F80_0001))).isNaN)
        var g = SeededGenerator(seed: 5)
        for _ in 0..<100_000 {
            let x = Float(bitPattern: UInt32.random(in: .min ... .max, using: &g))
            guard !x.isNaN else { continue }
            XCTAssertEqual(HalfPrecision.bf16(from: x), rt_bf16_from_float(x), "\(x)")
        }
    }

    /// BF16 storage: values rounded to bfloat16, the header says BF16, and tensors torch wrote as bfloat16 are
    /// written back byte for byte as torch's `safetensors` wrote them.
    func testWriterStoresBF16() throws {
        let file = try SafeTensorsFile(contentsOf: Fixtures.url("safetensors/dtypes.safetensors"))
        let names = ["half_bf16", "special_bf16"]
        let data = try SafeTensorsWriter.encode(names.map { ($0, try file.tensor($0)) }, storage: .BF16)
        let back = try SafeTensorsFile(data: data, path: "memory")
        for n in names {
            XCTAssertEqual(try back.entry(n).dtype, .BF16)
            XCTAssertEqual(try back.tensor(n).scalars.map(\.bitPattern), try file.tensor(n).scalars.map(\.bitPattern), n)
        }
        let python = try Data(contentsOf: Fixtures.url("safetensors/dtypes.safetensors"))
        for n in names {
            let ours = try back.entry(n), theirs = try file.entry(n)
            XCTAssertEqual(data[(back.dataStart + ours.dataOffsets.lowerBound)..<(back.dataStart + ours.dataOffsets.upperBound)],
                           python[(file.dataStart + theirs.dataOffsets.lowerBound)..<(file.dataStart + theirs.dataOffsets.upperBound)], n)
        }
        let x = try Tensor([1, 0.1, -2.5e-3, 3e38], shape: [2, 2])
        let rounded = try SafeTensorsFile(data: SafeTensorsWriter.encode([("x", x)], storage: .BF16), path: "m").tensor("x")
        XCTAssertEqual(rounded.scalars, x.scalars.map { HalfPrecision.float(fromBF16: HalfPrecision.bf16(from: $0)) })
        XCTAssertEqual(rounded.scalars[1], 0.10009765625)
    }

    // MARK: bad input

    func validFileBytes() throws -> [UInt8] {
        Array(try SafeTensorsWriter.encode([("a", Tensor.ones([2, 3])), ("b", Tensor.zeros([4]))]))
    }

    func assertRejected(_ bytes: [UInt8], containing words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensorsFile(data: Data(bytes), path: "/tmp/x.safetensors"), file: file, line: line) { e in
            let message = "\(e)"
            XCTAssertTrue(message.hasPrefix("/tmp/x.safetensors"), message, file: file, line: line)
            for w in words { XCTAssertTrue(message.contains(w), "\(message) lacks '\(w)'", file: file, line: line) }
        }
    }

    func testTruncatedFilesAreRejectedWithOffsets() throws {
        let good = try validFileBytes()
        XCTAssertNoThrow(try SafeTensorsFile(data: Data(good), path: "ok"))
        assertRejected([1, 2, 3], containing: ["truncated", "at byte 0"])
        assertRejected(Array(good.prefix(20)), containing: ["truncated", "header"])
        assertRejected(Array(good.dropLast(5)), containing: ["truncated", "'b'"])
        assertRejected(good + [0, 0, 0, 0], containing: ["4 bytes after the last tensor"])
    }

    func testMalformedHeadersAreRejected() throws {
        func file(header: String, data: Int) -> [UInt8] {
            var h = Array(header.utf8)
            while h.count % 8 != 0 { h.append(0x20) }
            return Array(withUnsafeBytes(of: UInt64(h.count).littleEndian) { Array($0) }) + h + [UInt8](repeating: 0, count: data)
        }
        assertRejected(file(header: "not json", data: 0), containing: ["not a valid JSON object"])
        assertRejected(file(header: "[1,2]", data: 0), containing: ["not a valid JSON object"])
        assertRejected(file(header: #"{"t":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}"#, data: 1), containing: ["unsupported dtype Q8"])
        assertRejected(file(header: #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: 4), containing: ["'t'", "needs 8 bytes"])
        assertRejected(file(header: #"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: 4), containing: ["negative"])
        assertRejected(file(header: #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, data: 4), containing: ["begin ≤ end"])
        assertRejected(file(header: #"{"t":{"dtype":"F32","shape":[1]}}"#, data: 4), containing: ["'t'", "data_offsets"])
        assertRejected(file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8),
                       containing: ["'b'", "overlaps"])
        assertRejected(file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8), containing: ["gap"])
        assertRejected(file(header: #"{"__metadata__":{"k":1}}"#, data: 0), containing: ["__metadata__"])
        // Offsets near Int.max are errors, not arithmetic traps.
        assertRejected(file(header: #"{"t":{"dtype":"U8","shape":[7],"data_offsets":[9223372036854775800,9223372036854775807]}}"#, data: 0),
                       containing: ["'t'", "gap"])
        assertRejected(file(header: #"{"t":{"dtype":"U8","shape":[8],"data_offsets":[9223372036854775800,9223372036854775807]}}"#, data: 0),
                       containing: ["'t'", "needs 8 bytes"])
        assertRejected(file(header: #"{"t":{"dtype":"F64","shape":[4611686018427387904,4611686018427387904,0],"data_offsets":[0,0]}}"#, data: 0),
                       containing: ["'t'", "too many"])
        var huge = try validFileBytes()
        huge.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Array($0) })
        assertRejected(huge, containing: ["exceeds"])
    }

    func testUnreadableFileNamesThePath() {
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: URL(fileURLWithPath: "/nonexistent/model.safetensors"))) { e in
            XCTAssertTrue("\(e)".hasPrefix("/nonexistent/model.safetensors: cannot read"), "\(e)")
        }
    }
}
