"""A small reader and writer for the safetensors format, using only struct, json and torch.

Layout of a .safetensors file:
    8 bytes        little-endian unsigned 64-bit length N of the header
    N bytes        UTF-8 JSON header:
                     {"<name>": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
                      ...,
                      "__metadata__": {"<key>": "<string value>", ...}}   (optional)
    rest           raw little-endian tensor data; offsets are relative to the start of this area

Tensors are stored row-major (C order), back to back, with no gaps. The header is padded with
spaces to a multiple of 8 bytes, as the reference implementation does.

Named tiny_safetensors (not safetensors) so it never shadows the real package.
"""

import json
import struct
import sys

import torch

DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}

# Raw bytes of a tensor go through an integer view of the same width, because numpy (used for
# tobytes) knows no bfloat16.
_SAME_WIDTH_INT = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}

assert sys.byteorder == "little", "this reader/writer assumes a little-endian machine"


def _tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bool:
        t = t.to(torch.uint8)
    elif t.dtype.is_floating_point:
        t = t.view(_SAME_WIDTH_INT[t.element_size()])
    return t.numpy().tobytes()


def save_file(tensors, path, metadata=None):
    """Write {name: tensor} to path. metadata: optional {str: str}."""
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        if t.dtype not in DTYPE_NAMES:
            raise ValueError(f"{name}: dtype {t.dtype} has no safetensors name")
        data = _tensor_bytes(t)
        header[name] = {
            "dtype": DTYPE_NAMES[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for data in chunks:
            f.write(data)


def read_header(path):
    """Return (header dict without __metadata__, metadata dict, byte offset of the data area)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
    metadata = header.pop("__metadata__", None) or {}
    return header, metadata, 8 + n


def load_file(path, with_metadata=False):
    """Read path into {name: tensor} (each tensor owns its memory)."""
    header, metadata, data_start = read_header(path)
    with open(path, "rb") as f:
        f.seek(data_start)
        data = f.read()
    tensors = {}
    for name, info in header.items():
        dtype = DTYPES[info["dtype"]]
        shape = info["shape"]
        begin, end = info["data_offsets"]
        if not 0 <= begin <= end <= len(data):
            raise ValueError(f"{name}: data_offsets {begin}..{end} outside the {len(data)}-byte data area")
        count = 1
        for d in shape:
            count *= d
        item_size = torch.empty((), dtype=dtype).element_size()
        if end - begin != count * item_size:
            raise ValueError(f"{name}: {end - begin} bytes for shape {shape} of {info['dtype']}")
        if count == 0:
            tensors[name] = torch.empty(shape, dtype=dtype)
        else:
            tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype).reshape(shape)
    return (tensors, metadata) if with_metadata else tensors
