# Pillow side of the benchmark: the same render steps at Pillow's fastest (JPEG draft = DCT shrink-on-load).
# A worker (protocol in worker.js): one JSON request per stdin line, renders timed in-process, one JSON answer.
import io
import json
import sys
import time

import PIL
from PIL import Image


def render(data, job, stages):
    """open, draft (JPEG), first frame, RGB, LANCZOS resize, pad right/bottom with black, PNG level 6."""
    t0 = time.process_time()  # stage costs in CPU time: steadier than wall time on a shared machine
    image = Image.open(io.BytesIO(data))
    if image.format == "JPEG" and job["resized"]:
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale, never below the target size.
        image.draft("RGB", (job["viewWidth"], job["viewHeight"]))
    image.seek(0)  # first frame of an animation
    image.load()
    if image.mode != "RGB":
        image = image.convert("RGB")
    t1 = time.process_time()
    if job["resized"]:
        image = image.resize((job["viewWidth"], job["viewHeight"]), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (job["canvasWidth"], job["canvasHeight"]), (0, 0, 0))
    canvas.paste(image, (0, 0))
    t2 = time.process_time()
    out = io.BytesIO()
    canvas.save(out, "PNG", compress_level=6)
    t3 = time.process_time()
    stages["decode"] += (t1 - t0) * 1000
    stages["resizePad"] += (t2 - t1) * 1000
    stages["encode"] += (t3 - t2) * 1000
    return out.getvalue(), canvas.size


def run(data, job, slice_ms):
    """Renders for at least slice_ms (at least once): calls, wall and CPU milliseconds, stage sums."""
    stages = {"decode": 0.0, "resizePad": 0.0, "encode": 0.0}
    calls = 0
    cpu_start = time.process_time()
    start = time.perf_counter()
    while True:
        output, size = render(data, job, stages)
        calls += 1
        ms = (time.perf_counter() - start) * 1000
        if ms >= slice_ms:
            break
    return {
        "calls": calls,
        "ms": ms,
        "cpuMs": (time.process_time() - cpu_start) * 1000,
        "stages": stages,
        "outputBytes": len(output),
        "width": size[0],
        "height": size[1],
    }


def main():
    with open(sys.argv[1]) as handle:
        jobs = {job["key"]: job for job in json.load(handle)}
    data = {}
    for key, job in jobs.items():
        with open(job["path"], "rb") as handle:
            data[key] = handle.read()
    print(json.dumps({"ready": True, "version": PIL.__version__}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        key = request["key"]
        print(json.dumps(run(data[key], jobs[key], request["sliceMs"])), flush=True)


main()
