// A synthetic legacy system for the assess bench: crontabs, shell and Python jobs, SQL procedures and notes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes n files under dir, one in five of each kind, each the size of a small real job. */
export function legacyTree(dir, n = 10000) {
  const kinds = [
    (i) => [`jobs/j${i}.sh`, `#!/bin/sh\n# job ${i}\nset -e\nexport TARGET_DIR=/data/out/${i}\nPGPASSWORD=secret${i}\npsql -h db${i % 7}.corp -U etl -c "select * from orders where region = 'EU' and id > ${i}" > $TARGET_DIR/orders_${i}.csv\nawk -F, '$3 > 100 { print $1 }' $TARGET_DIR/orders_${i}.csv | sort -u > /tmp/k${i}.txt\ncurl -s -X POST https://api${i % 3}.partner.example/v1/load -d @/tmp/k${i}.txt\nscp /tmp/k${i}.txt drop@sftp.bank.example:/in/\n${'echo step\n'.repeat(20)}`],
    (i) => [`py/load_${i}.py`, `import os\nimport psycopg2\nimport requests\nURL = "https://feed${i % 5}.example.com/items"\nconn = psycopg2.connect(host=os.environ["DB_HOST"], password="p${i}")\nr = requests.get(URL)\nrows = r.json()\ncur = conn.cursor()\nfor row in rows:\n    cur.execute("insert into items values (%s)", (row["id"],))\n${'x = 1\n'.repeat(20)}`],
    (i) => [`sql/proc_${i}.sql`, `CREATE OR REPLACE PROCEDURE load_${i} AS\nBEGIN\n  UPDATE accounts SET status = CASE WHEN balance < 0 THEN 'X' ELSE 'A' END\n  WHERE updated > sysdate - 1;\nEND;\n/\n${'-- note\n'.repeat(20)}`],
    (i) => [`cron/c${i}.crontab`, `CRON_TZ=Europe/Paris\n${i % 60} ${i % 24} * * * /opt/jobs/j${i - 3}.sh >> /var/log/j.log 2>&1\n`],
    (i) => [`docs/n${i}.txt`, `Notes for run ${i}.\n${'Lorem ipsum dolor sit amet.\n'.repeat(30)}`],
  ];
  for (let i = 0; i < n; i++) {
    const [rel, text] = kinds[i % kinds.length](i);
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}
