"""Train a small CenterNet-style detector (plain PyTorch, no torchvision) on a simvision dataset.

    simvision generate scenes/street.yaml --out outputs/street_train -n 400 --size 320x240
    python examples/train_detector.py outputs/street_train --classes car person --iterations 2000

    # text detection on receipts: every word is an object
    simvision generate scenes/receipt.yaml --out outputs/receipts_train -n 200
    python examples/train_detector.py outputs/receipts_train --classes word --size 304x704 --iterations 2000

Needs ``torch`` (``pip install 'simvision[train]'``: torch 2.13 CPU builds work). The model: a 4-layer stride-4
backbone and three 1x1 heads (class heat-maps, box size, centre offset), trained with CenterNet's focal loss and
L1 losses. It reports the loss and, with ``--eval``, box recall at IoU 0.5 on the training images. It is a recipe
to show the data trains, not a state-of-the-art detector.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import torch
from torch import nn

from simvision.loaders import SimvisionDataset

STRIDE = 4


class TinyCenterNet(nn.Module):
    def __init__(self, classes: int) -> None:
        super().__init__()

        def block(i: int, o: int, s: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)
            )

        self.backbone = nn.Sequential(block(3, 24, 2), block(24, 48, 2), block(48, 64, 1), block(64, 64, 1))
        self.heat = nn.Conv2d(64, classes, 1)
        self.size = nn.Conv2d(64, 2, 1)
        self.offset = nn.Conv2d(64, 2, 1)
        nn.init.constant_(self.heat.bias, -2.19)  # prior 0.1: the focal loss starts stable

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        f = self.backbone(x)
        return self.heat(f), self.size(f), self.offset(f)


def targets(boxes: np.ndarray, labels: np.ndarray, classes: int, h: int, w: int):  # noqa: ANN201
    """Gaussian centre heat-maps (C,h,w), and per box its cell index, size (w,h in cells) and sub-cell offset."""
    heat = np.zeros((classes, h, w), np.float32)
    cells, sizes, offsets = [], [], []
    for (x0, y0, x1, y1), c in zip(boxes / STRIDE, labels, strict=True):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        ix, iy = min(int(cx), w - 1), min(int(cy), h - 1)
        sigma = max(0.8, min(x1 - x0, y1 - y0) / 6)
        ys, xs = np.ogrid[:h, :w]
        g = np.exp(-((xs - ix) ** 2 + (ys - iy) ** 2) / (2 * sigma**2))
        heat[c] = np.maximum(heat[c], g)
        cells.append(iy * w + ix)
        sizes.append((x1 - x0, y1 - y0))
        offsets.append((cx - ix, cy - iy))
    return heat, np.array(cells, np.int64), np.array(sizes, np.float32), np.array(offsets, np.float32)


def focal_loss(pred: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
    p = pred.sigmoid().clamp(1e-4, 1 - 1e-4)
    pos = gt.eq(1).float()
    neg = 1 - pos
    loss = -(torch.log(p) * (1 - p) ** 2 * pos) - (torch.log(1 - p) * p**2 * (1 - gt) ** 4 * neg)
    return loss.sum() / pos.sum().clamp(min=1)


def batch_loss(model: TinyCenterNet, items: list[dict], classes: int) -> torch.Tensor:
    images = torch.stack(
        [torch.from_numpy(it["image"].transpose(2, 0, 1).copy()).float() / 255 for it in items]
    )
    heat_p, size_p, off_p = model(images)
    h, w = heat_p.shape[2:]
    total = torch.zeros(())
    for b, it in enumerate(items):
        heat, cells, sizes, offs = targets(it["boxes"], it["labels"], classes, h, w)
        total = total + focal_loss(heat_p[b], torch.from_numpy(heat))
        if len(cells):
            idx = torch.from_numpy(cells)
            s = size_p[b].flatten(1)[:, idx].T
            o = off_p[b].flatten(1)[:, idx].T
            total = (
                total
                + 0.1 * (s - torch.from_numpy(sizes)).abs().mean()
                + (o - torch.from_numpy(offs)).abs().mean()
            )
    return total / len(items)


def load(root: str, classes: list[str], size: tuple[int, int] | None) -> list[dict]:
    """The dataset as training items: image (resized to ``size``), boxes scaled with it, labels 0..C-1."""
    import cv2

    ds = SimvisionDataset(root, classes=classes)
    names = ds.class_names
    items = []
    for i in range(len(ds)):
        it = ds[i]
        img, boxes = it["image"], it["boxes"].copy()
        if size is not None:
            sx, sy = size[0] / img.shape[1], size[1] / img.shape[0]
            img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
            boxes *= np.array([sx, sy, sx, sy], np.float32)
        labels = np.array([classes.index(names[c]) for c in it["class_ids"]], np.int64)
        items.append({"image": img, "boxes": boxes, "labels": labels})
    return items


def train(
    items: list[dict], classes: int, iterations: int, batch: int = 4, lr: float = 2e-3, seed: int = 0
) -> tuple[TinyCenterNet, list[float]]:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = TinyCenterNet(classes)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(iterations):
        pick = rng.choice(len(items), size=min(batch, len(items)), replace=False)
        loss = batch_loss(model, [items[k] for k in pick], classes)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model, losses


@torch.no_grad()
def recall(model: TinyCenterNet, items: list[dict], threshold: float = 0.3) -> float:
    """Share of ground-truth boxes matched (IoU >= 0.5, same class) by a decoded peak above ``threshold``."""
    model.eval()
    found = total = 0
    for it in items:
        x = torch.from_numpy(it["image"].transpose(2, 0, 1).copy()).float()[None] / 255
        heat, size, off = model(x)
        heat = heat.sigmoid()[0]
        peaks = (heat == nn.functional.max_pool2d(heat[None], 3, 1, 1)[0]) & (heat > threshold)
        dets = []
        for c, y, xx in peaks.nonzero().tolist():
            w, h = size[0, :, y, xx].tolist()
            ox, oy = off[0, :, y, xx].tolist()
            cx, cy = (xx + ox) * STRIDE, (y + oy) * STRIDE
            dets.append(
                (c, cx - w * STRIDE / 2, cy - h * STRIDE / 2, cx + w * STRIDE / 2, cy + h * STRIDE / 2)
            )
        for (x0, y0, x1, y1), c in zip(it["boxes"], it["labels"], strict=True):
            total += 1
            for d in dets:
                if d[0] != c:
                    continue
                iw = max(0.0, min(x1, d[3]) - max(x0, d[1]))
                ih = max(0.0, min(y1, d[4]) - max(y0, d[2]))
                inter = iw * ih
                union = (x1 - x0) * (y1 - y0) + (d[3] - d[1]) * (d[4] - d[2]) - inter
                if union > 0 and inter / union >= 0.5:
                    found += 1
                    break
    model.train()
    return found / max(total, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dataset")
    ap.add_argument("--classes", nargs="+", required=True)
    ap.add_argument("--size", help="resize images to WxH (multiples of 4)")
    ap.add_argument("--iterations", type=int, default=500)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--eval", action="store_true")
    args = ap.parse_args()
    size = tuple(int(v) for v in args.size.split("x")) if args.size else None
    items = load(args.dataset, args.classes, size)
    model, losses = train(items, len(args.classes), args.iterations, args.batch)
    k = max(1, math.ceil(len(losses) / 10))
    for i in range(0, len(losses), k):
        print(f"iter {i:5d}  loss {np.mean(losses[i : i + k]):.4f}")
    if args.eval:
        print(f"recall@0.5 on the training images: {recall(model, items):.3f}")


if __name__ == "__main__":
    main()
