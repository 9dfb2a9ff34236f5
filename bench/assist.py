"""SDG suggestion benchmark: texts per second for `predicted_goals`, model load time and peak RSS.

The texts are the held-out split (research abstracts and SDG indicator texts in six languages),
repeated to --count. Everything runs in a fresh child process, so the load time includes importing
the libraries and reading the artefact, and the peak RSS is that of the process alone.

- texts_per_s: `Model.predict_goals` over all texts, tokenising included, in batches of --batch;
- floor_texts_per_s: the same texts through a bare linear model over the same features (the
  hashing vectorisers and one sparse-dense product, no TF-IDF weighting, calibration or thresholds);
- single_text_ms: p50 latency of one text at a time (what the form and the API do).

The last line is one JSON object.

    .venv/bin/python bench/assist.py --json
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, resource, statistics, sys, time
started = time.perf_counter()
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings")
django.setup()
from partnerhub.assist import model
loaded = model.load()
load_s = time.perf_counter() - started
from partnerhub.assist import corpus
count, batch = int(sys.argv[1]), int(sys.argv[2])
_train, held = corpus.split()
texts = [e.text for e in held]
texts = (texts * (count // len(texts) + 1))[:count]
def rate(fn):
    best = 0.0
    for _ in range(3):
        t = time.perf_counter()
        for i in range(0, len(texts), batch):
            fn(texts[i:i + batch])
        best = max(best, len(texts) / (time.perf_counter() - t))
    return best
api = rate(loaded.predict_goals)
coef = loaded.coef
floor = rate(lambda chunk: (model.counts(chunk) @ coef).argmax(axis=1))
single = []
for text in texts[:300]:
    t = time.perf_counter(); loaded.predict_goals([text]); single.append((time.perf_counter() - t) * 1000)
print(json.dumps({"texts": len(texts), "texts_per_s": round(api), "floor_texts_per_s": round(floor),
                  "floor_over_model": round(floor / api, 2), "single_text_ms": round(statistics.median(single), 2),
                  "model_load_s": round(load_s, 2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--json", action="store_true", help="(the last line is JSON in any case)")
    args = parser.parse_args()
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1"), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(args.count), str(args.batch)], env=env, cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    result = json.loads(out.strip().splitlines()[-1])
    if not args.json:
        for key, value in result.items():
            print(f"{key:>20}: {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
