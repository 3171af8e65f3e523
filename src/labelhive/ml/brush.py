"""Masks as Label Studio's brush RLE (`{"format": "rle", "rle": [...]}`): the thi-ng rle-pack encoding of the
flattened RGBA image whose channels all hold the mask. Byte for byte what label_studio_sdk's mask2rle gives."""
import numpy as np

RLE_SIZES = (3, 4, 8, 16)  # bits that hold a run's length - 1, chosen per run by a 2-bit index
MAX_RUN = 1 << RLE_SIZES[-1]


def encode_rle(flat: np.ndarray, wordsize: int = 8) -> list[int]:
    flat = np.asarray(flat).ravel()
    bits = [f"{len(flat):032b}", f"{wordsize - 1:05b}", "".join(f"{s - 1:04b}" for s in RLE_SIZES)]
    if len(flat):
        ends = np.append(np.flatnonzero(flat[1:] != flat[:-1]), len(flat) - 1)
        lengths = np.diff(np.append(-1, ends))
        for value, length in zip(flat[ends].tolist(), lengths.tolist()):
            while length > 0:
                n = min(length, MAX_RUN)
                if n == 1:  # a literal: flag 0, size index 0, count - 1 = 0 in 3 bits, then the word
                    bits.append(f"000000{value:0{wordsize}b}")
                else:
                    index = next(i for i, size in enumerate(RLE_SIZES) if n <= 1 << size)
                    bits.append(f"1{index:02b}{n - 1:0{RLE_SIZES[index]}b}{value:0{wordsize}b}")
                length -= n
    stream = "".join(bits)
    stream += "0" * (8 - len(stream) % 8)  # as the SDK pads: always at least one bit
    return [int(stream[i:i + 8], 2) for i in range(0, len(stream), 8)]


def mask_to_rle(mask: np.ndarray) -> list[int]:
    """A 2-D mask (non-zero inside) as brush RLE."""
    rgba = np.repeat(np.where(np.asarray(mask) > 0, 255, 0).astype(np.uint8).ravel(), 4)
    return encode_rle(rgba)
