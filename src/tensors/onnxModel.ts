/**
 * Minimal ONNX model builder: hand-encoded protobuf bytes for a one-node graph (MatMul or Gemm) on float32 inputs
 * with symbolic dimensions, so a single session serves every shape.
 *
 * Wire format (protobuf encoding, https://protobuf.dev/programming-guides/encoding/; field numbers from onnx.proto3):
 *   ModelProto     { ir_version = 1 (int64), opset_import = 8 (OperatorSetIdProto), graph = 7 (GraphProto) }
 *   OperatorSetIdProto { domain = 1 (string), version = 2 (int64) }
 *   GraphProto     { node = 1, name = 2, input = 11, output = 12 }
 *   NodeProto      { input = 1, output = 2, name = 3, op_type = 4, attribute = 5 }
 *   AttributeProto { name = 1, i = 3, type = 20 (AttributeType INT = 2) }
 *   ValueInfoProto { name = 1, type = 2 (TypeProto) }
 *   TypeProto      { tensor_type = 1 (Tensor { elem_type = 1 (FLOAT = 1), shape = 2 (TensorShapeProto) }) }
 *   TensorShapeProto { dim = 1 (Dimension { dim_value = 1, dim_param = 2 }) }
 */

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) { out.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80); }
  out.push(v);
  return out;
}

const key = (field: number, wire: 0 | 2) => varint(field * 8 + wire);
const intField = (field: number, v: number) => [...key(field, 0), ...varint(v)];
const bytesField = (field: number, bytes: number[]) => [...key(field, 2), ...varint(bytes.length), ...bytes];
const stringField = (field: number, s: string) => bytesField(field, [...new TextEncoder().encode(s)]);

/** A float32 (elem_type 1) or float64 (elem_type 11) tensor value-info with symbolic dimensions named in `dims`. */
function valueInfo(name: string, dims: string[], elemType = 1): number[] {
  const shape = dims.flatMap((p) => bytesField(1, stringField(2, p)));
  const tensor = [...intField(1, elemType), ...bytesField(2, shape)];
  return [...stringField(1, name), ...bytesField(2, bytesField(1, tensor))];
}

function intAttribute(name: string, v: number): number[] {
  return [...stringField(1, name), ...intField(3, v), ...intField(20, 2)];
}

/** The transpose pattern of a one-node ONNX MatMul graph. */
export interface MatmulGraph {
  /** Y = op(A) op(B) with op(X) = X or X^T. */
  readonly transA: boolean;
  readonly transB: boolean;
  /** Element type of A, B and Y (default float32). */
  readonly type?: "float32" | "float64";
}

/**
 * ONNX model computing Y = op(A) op(B) (float32): one Gemm node with transA/transB attributes (opset 13), which
 * onnxruntime maps to its MLAS SGEMM without materialising a transpose. Gemm also for the untransposed product: with 2
 * intra-op threads onnxruntime's MatMul kernel reached 115 GFLOP/s on 4096x1024x1024 here against Gemm's 185 (numpy
 * 183-195 in the same minutes; bench/issue18.ts).
 */
export function matmulModel({ transA, transB, type = "float32" }: MatmulGraph): Uint8Array {
  const elem = type === "float64" ? 11 : 1;
  const [m, k, n] = ["m", "k", "n"];
  const aDims = transA ? [k, m] : [m, k];
  const bDims = transB ? [n, k] : [k, n];
  const node = [
    ...stringField(1, "A"), ...stringField(1, "B"), ...stringField(2, "Y"), ...stringField(3, "product"),
    ...stringField(4, "Gemm"),
    ...bytesField(5, intAttribute("transA", transA ? 1 : 0)), ...bytesField(5, intAttribute("transB", transB ? 1 : 0)),
  ];
  const graph = [
    ...bytesField(1, node), ...stringField(2, "index-lab-matmul"),
    ...bytesField(11, valueInfo("A", aDims, elem)), ...bytesField(11, valueInfo("B", bDims, elem)),
    ...bytesField(12, valueInfo("Y", [m, n], elem)),
  ];
  const model = [...intField(1, 8), ...bytesField(8, [...stringField(1, ""), ...intField(2, 13)]), ...bytesField(7, graph)];
  return Uint8Array.from(model);
}
