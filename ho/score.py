import sys, shutil, tempfile
from pathlib import Path
import tests.parsing.test_corpus as tc

d = Path(sys.argv[1])
tc.CORPUS = d
for p in sorted(d.glob("*.json")):
    n = p.stem
    try:
        r = tc.score(n)
        m = r["bundle"].meetings
        mi = [(x.series_name, x.number, x.start_date, x.city, x.series_code) for x in m]
        print(f"{n:18} recall {r['recall']:.2f}  extra {len(r['extra'])}  meetings {mi}")
        if "-v" in sys.argv:
            for k in r["missed"]:
                print("   MISSED", k)
            for e in r["extra"]:
                print("   EXTRA", e)
            for c in r["bundle"].commitments:
                print(
                    "     got",
                    c.responsible,
                    c.responsible_text,
                    "|",
                    c.action[:70],
                    "|",
                    c.deadline,
                    c.precision,
                    c.deadline_text,
                    c.due_event,
                )
    except Exception as exc:
        import traceback

        traceback.print_exc()
        print(f"{n:18} ERROR {type(exc).__name__}: {exc}")
