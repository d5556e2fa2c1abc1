"""A large synthetic JSON lines file for the streaming memory measure: python benchmarks/big_jsonl.py OUT BYTES."""

import json
import random
import sys

random.seed(7)
words = ("the council of harbour town voted on tuesday evening to fund a movable flood barrier at mouth old "
         "ending debate that had divided residents for two winters engineers said work would begin spring and "
         "last three years while fishermen asked about access during construction mayor promised regular updates").split()
target = int(sys.argv[2])
with open(sys.argv[1], "w") as out:
    size, n = 0, 0
    while size < target:
        paras = []
        for _ in range(random.randint(10, 40)):
            paras.append(" ".join(random.choices(words, k=random.randint(20, 80))).capitalize() + ".")
        line = json.dumps({"id": f"d{n}", "text": "\n\n".join(paras), "source": "synthetic", "n": n}) + "\n"
        out.write(line)
        size += len(line)
        n += 1
print(n, size)
