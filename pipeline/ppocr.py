"""The PP-OCR models shipped in the rapidocr_onnxruntime wheel, loaded once and safe to share between threads.

RapidOCR's own objects are kept for their pre- and post-processing (crop, direction
classifier and recogniser code, DB box extraction); what changes here is measured:

- **Sessions with a memory arena.** RapidOCR builds its onnxruntime sessions with the CPU
  arena disabled, so every tensor of every run is a fresh ``mmap`` that the kernel zero-fills
  and unmaps again: about 250,000 page faults and 0.7 s of kernel time per phone-photo page
  (``bench/speed.py`` showed sys time at a third of user time). With the arena on and memory
  patterns off (shapes change from page to page) the buffers are reused between runs.
- **A stateless detector call.** ``TextDetector.__call__`` stores its resize step on the
  instance, so two threads detecting at once could resize each other's images; ``detect``
  keeps everything local and normalises in float32 (the library goes through float64).
- **Fixed thresholds.** The DB post-processing thresholds are set once, never per call.
- **Unbatched recognition** (``REC_BATCH``): a third less recognition time than the library's
  batches of six line crops, each padded to the widest.

onnxruntime's ``InferenceSession.run`` may be called from several threads at once, so one
set of models serves every worker thread of a process.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from pipeline.errors import MissingDependencyError

DET_BOX_THRESH = 0.3  # the library's 0.5 dropped a faint footer line (报告日期) scoring 0.3-0.5
DET_UNCLIP_RATIO = 1.6
# Lines recognised one at a time: the library batches 6, padding each to the widest of the batch.
# On 10 bench pages (212 lines) one at a time took 8.3 s of CPU against 13.0 s for batches of 6,
# same mean confidence; 8 lines read differently, as many better as worse (padding is noise).
REC_BATCH = 1


@dataclass(frozen=True)
class LineReading:
    """What the recogniser read in one line crop."""

    text: str
    confidence: float
    char_confidences: tuple[float, ...]  # one per character of ``text``; empty when unknown


@dataclass(frozen=True)
class PpOcrModels:
    """Detector, direction classifier and recogniser of one process, with thread-safe calls."""

    rapid: Any  # the RapidOCR instance whose sessions were rebuilt
    det_semaphore: threading.BoundedSemaphore

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text line boxes (tl, tr, br, bl, float32) of a BGR image, in its own pixels, unsorted.

        The image is read at its own size (rounded to multiples of 32); callers scale it first.
        """
        height, width = image.shape[:2]
        net_h, net_w = max(32, round(height / 32) * 32), max(32, round(width / 32) * 32)
        resized = image if (net_h, net_w) == (height, width) else cv2.resize(image, (net_w, net_h))
        blob = cv2.dnn.blobFromImage(resized, scalefactor=1 / 127.5, mean=(127.5, 127.5, 127.5))  # (x/255-.5)/.5
        detector = self.rapid.text_det
        with self.det_semaphore:  # bounds how many full-page activations are alive at once (memory)
            prediction = detector.infer(blob)[0]
        boxes, _ = detector.postprocess_op(prediction, (height, width))
        if boxes is None or len(boxes) == 0:
            return []
        kept = detector.filter_tag_det_res(np.asarray(boxes), (height, width))
        return [np.asarray(box, dtype=np.float32) for box in kept]

    def classify(self, crops: Sequence[np.ndarray]) -> tuple[list[np.ndarray], list[tuple[str, float]]]:
        """Direction of each line crop ('0' or '180', score); crops read as upside down are turned."""
        if not crops:
            return [], []
        turned, labels, _ = self.rapid.text_cls(list(crops))
        return list(turned), [(str(label), float(score)) for label, score in labels]

    def recognise(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        """Text and confidence of each line crop (BGR)."""
        return [(reading.text, reading.confidence) for reading in self.recognise_characters(crops)]

    def recognise_characters(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Text, confidence and each character's own confidence, of each line crop (BGR).

        The line's confidence is the mean of its characters'; one doubtful digit in a date
        hides in that mean, so callers that weigh single characters use these.
        """
        if not crops:
            return []
        results, _ = self.rapid.text_rec(list(crops), return_word_box=True)
        readings = []
        for text, score, *details in results:
            text = str(text)
            per_char = details[0][4] if details and len(details[0]) > 4 else []
            chars = tuple(float(c) for c in per_char) if len(per_char) == len(text) else ()
            readings.append(LineReading(text, float(score), chars))
        return readings

    def character_probabilities(self, crop: np.ndarray) -> np.ndarray:
        """The recogniser's output for one line crop (BGR): per time step, each character's probability.

        Rows are time steps, columns the recogniser's characters (column 0 the CTC blank); see
        :meth:`character_columns`.
        """
        recogniser = self.rapid.text_rec
        height, width = crop.shape[:2]
        _, net_h, net_w = recogniser.rec_image_shape
        blob = recogniser.resize_norm_img(crop, max(net_w / net_h, width / max(1, height)))
        return np.asarray(recogniser.session(blob[np.newaxis].astype(np.float32))[0][0], dtype=np.float64)

    def character_columns(self, text: str) -> list[int] | None:
        """The columns of :meth:`character_probabilities` that stand for ``text``'s characters, or None
        when the recogniser does not know one of them."""
        columns = self.rapid.text_rec.postprocess_op.dict
        found = [columns.get(char) for char in text]
        return None if any(column is None for column in found) else [int(c) for c in found if c is not None]

    def best_path_text(self, probabilities: np.ndarray) -> str:
        """What :meth:`character_probabilities` reads step by step: each step's likeliest character, repeats
        merged and blanks dropped (greedy CTC decoding)."""
        alphabet = self.rapid.text_rec.postprocess_op.character
        best = probabilities.argmax(axis=1)
        return "".join(alphabet[int(c)] for i, c in enumerate(best)
                       if c != 0 and (i == 0 or c != best[i - 1]) and int(c) < len(alphabet))

    def sorted_boxes(self, boxes: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Boxes in reading order (top to bottom, then left to right)."""
        if not boxes:
            return []
        return [np.asarray(b, dtype=np.float32) for b in self.rapid.sorted_boxes(np.asarray(boxes))]

    def crop_lines(self, image: np.ndarray, quads: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Perspective-corrected crops of the lines ``quads`` in ``image``."""
        return list(self.rapid.get_crop_img_list(image, [np.asarray(q, dtype=np.float32) for q in quads]))


def _arena_session(old_session: Any, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = True
    options.enable_mem_pattern = False  # patterns are per input shape; every page has another shape
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    provider = ("CPUExecutionProvider", {"arena_extend_strategy": "kSameAsRequested"})
    return ort.InferenceSession(old_session._model_path, sess_options=options, providers=[provider])


def shared_models(threads: int = 1, concurrent_detections: int = 1) -> PpOcrModels:
    """The process-wide PP-OCR models, loaded once.

    ``shared_models()`` and ``shared_models(1)`` are the same models: the cache is keyed on the
    values, not on how they were passed (a second copy would hold a second detection arena).

    Args:
        threads: onnxruntime intra-op threads per call (1: parallelism comes from workers).
        concurrent_detections: How many page detections may run at once; each holds about
            0.5 GB of activations at 2000 px (0.3 GB at the 1600 px used), the recogniser and
            classifier far less.

    Raises:
        MissingDependencyError: rapidocr_onnxruntime, onnxruntime or the bundled models are missing.
    """
    return _load_models(threads, concurrent_detections)


@functools.lru_cache(maxsize=2)
def _load_models(threads: int, concurrent_detections: int) -> PpOcrModels:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise MissingDependencyError("未安装 rapidocr_onnxruntime") from exc
    try:
        rapid = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
        for holder in (rapid.text_det.infer, rapid.text_cls.infer, rapid.text_rec.session):
            holder.session = _arena_session(holder.session, threads)
    except Exception as exc:  # onnxruntime raises its own untyped errors for a bad model file
        raise MissingDependencyError(f"RapidOCR 模型无法加载：{exc}") from exc
    rapid.text_det.postprocess_op.box_thresh = DET_BOX_THRESH
    rapid.text_det.postprocess_op.unclip_ratio = DET_UNCLIP_RATIO
    rapid.text_rec.rec_batch_num = REC_BATCH
    return PpOcrModels(rapid=rapid, det_semaphore=threading.BoundedSemaphore(concurrent_detections))
