# Pillow side of the benchmark: the same render steps at Pillow's fastest (JPEG draft = DCT shrink-on-load),
# timed inside this process (start-up not counted). Usage: pillow_render.py JOBS.json; prints JSON results.
import io
import json
import sys
import time

import PIL
from PIL import Image


def render(data, job):
    image = Image.open(io.BytesIO(data))
    if image.format == "JPEG" and job["resized"]:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale, never below the target size.
        image.draft("RGB", (job["viewWidth"], job["viewHeight"]))
    image.seek(0)  # first frame of an animation
    if image.mode != "RGB":
        image = image.convert("RGB")
    if job["resized"]:
        image = image.resize((job["viewWidth"], job["viewHeight"]), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (job["canvasWidth"], job["canvasHeight"]), (0, 0, 0))
    canvas.paste(image, (0, 0))
    out = io.BytesIO()
    canvas.save(out, "PNG", compress_level=6)
    return out.getvalue(), canvas.size


def measure(data, job, budget_seconds, min_iterations, warmup):
    for _ in range(warmup):
        render(data, job)
    calls = 0
    start = time.perf_counter()
    while True:
        output, size = render(data, job)
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= budget_seconds and calls >= min_iterations:
            break
    return {
        "opsPerSecond": calls / elapsed,
        "calls": calls,
        "ms": elapsed * 1000,
        "outputBytes": len(output),
        "width": size[0],
        "height": size[1],
    }


def main():
    with open(sys.argv[1]) as handle:
        spec = json.load(handle)
    results = {}
    for job in spec["jobs"]:
        with open(job["path"], "rb") as handle:
            data = handle.read()
        results[job["key"]] = measure(
            data, job, spec["budgetMs"] / 1000, spec["minIterations"], spec["warmup"]
        )
    json.dump({"pillow": PIL.__version__, "results": results}, sys.stdout)


main()
