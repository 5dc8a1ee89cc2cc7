#!/usr/bin/env node
// Parse a CSV exactly as Datawrapper does when a user uploads or pastes it, and print JSON.
//
// Usage: node tools/realtools/dw_parse.mjs FILE.csv [--rows N]
//
// The parser is Datawrapper's own, from the npm package @datawrapper/chart-core (pinned in
// package.json): lib/dw/dataset/delimited.mjs, the `dw.datasource.delimited` that
// chart.load() in lib/dw/chart.mjs calls with the chart's data as `csv` and the editor's
// defaults firstRowIsHeader=true, transpose=false. Its DelimitedParser guesses the delimiter
// (tab, semicolon, pipe, comma) by counting, and every column guesses its type
// (lib/dw/dataset/column.mjs, guessType: date, then number, then text, tolerating 10 %
// unparsable values) with the types in lib/dw/dataset/columnTypes/. There is no locale
// option: the number type picks its format ("1.234,56" = ".," for German, "1234.56" = "-.")
// from the column's own values, and the date type picks one of its known formats.
//
// Output: {file, delimiter, delimiter_name, columns: [{name, type, format, unparsed}], rows,
// first_rows: [[value per column]]}. Parsed dates are printed as local wall time
// "YYYY-MM-DD HH:MM:SS", numbers as numbers, text as Datawrapper sanitised it.
import { readFileSync } from 'node:fs';
import delimited from '@datawrapper/chart-core/lib/dw/dataset/delimited.mjs';

const DELIMITERS = { '\t': 'tab', ';': 'semicolon', '|': 'pipe', ',': 'comma' };

function parse(csv, delimiter) {
    const opts = { csv, firstRowIsHeader: true, transpose: false };
    if (delimiter) opts.delimiter = delimiter;
    return delimited(opts).parse();
}

function shape(ds) {
    return JSON.stringify(ds.columns().map(c => [c.name(), c.raw()]));
}

function pad(n) {
    return String(n).padStart(2, '0');
}

function show(v) {
    if (v instanceof Date) {
        return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())} ` +
            `${pad(v.getHours())}:${pad(v.getMinutes())}:${pad(v.getSeconds())}`;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v === undefined ? null : v;
}

function main(argv) {
    const args = argv.slice(2);
    const file = args.find(a => !a.startsWith('--'));
    const rowsAt = args.indexOf('--rows');
    const nRows = rowsAt >= 0 ? Number(args[rowsAt + 1]) : 5;
    if (!file) {
        process.stderr.write('usage: node tools/realtools/dw_parse.mjs FILE.csv [--rows N]\n');
        return 2;
    }
    const csv = readFileSync(file, 'utf8');
    // What the user gets: delimiter 'auto', as in chart.load().
    const ds = parse(csv);
    // DelimitedParser keeps its guess private; the guess is the explicit delimiter whose parse
    // is identical to the automatic one (each run of Datawrapper's own code).
    const auto = shape(ds);
    const same = Object.keys(DELIMITERS).filter(d => shape(parse(csv, d)) === auto);
    const delimiter = same.length ? same[0] : null;
    const columns = ds.columns().map(c => {
        const t = c.type(true);
        const type = c.type();
        // values the detected type cannot read (Datawrapper tolerates 10 % of them)
        const unparsed = [];
        for (let i = 0; i < c.length; i++) {
            const raw = c.raw(i);
            if (raw === null || raw === undefined || raw === '') continue;
            const v = c.val(i);
            if ((type === 'number' && typeof v !== 'number') || (type === 'date' && !(v instanceof Date))) {
                unparsed.push(raw);
            }
        }
        return {
            name: c.name(),
            type,
            format: (t.format ? t.format() : null) ?? null,
            unparsed
        };
    });
    const rows = ds.numRows();
    const first = [];
    for (let i = 0; i < Math.min(nRows, rows); i++) {
        first.push(ds.columns().map(c => show(c.val(i))));
    }
    const out = {
        file,
        parser: '@datawrapper/chart-core/lib/dw/dataset/delimited.mjs',
        delimiter,
        delimiter_name: delimiter === null ? null : DELIMITERS[delimiter],
        delimiter_ties: same.length > 1 ? same.map(d => DELIMITERS[d]) : [],
        columns,
        rows,
        first_rows: first
    };
    process.stdout.write(JSON.stringify(out, null, 1) + '\n');
    return 0;
}

process.exitCode = main(process.argv);
