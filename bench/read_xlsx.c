/*
 * read_xlsx.c - times the XLSX reader against its bounds on one file:
 * inflating the sheet entry alone (zip_fread), a bare expat parse of it,
 * and egdi_reader over every row.  Not part of the build or the tests.
 *
 *   make && cc -O2 -Iengine -o read_xlsx bench/read_xlsx.c build/libegdi.a \
 *       $(pkg-config --libs libzip expat) -lcsv -lm && ./read_xlsx FILE.xlsx [ENTRY]
 */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zip.h>

#include "reader.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void XMLCALL start(void *u, const XML_Char *n, const XML_Char **a)
{
    (void)n, (void)a;
    ++*(long *)u;
}

static double inflate_only(const char *path, const char *entry, int use_expat)
{
    double t0 = now();
    zip_t *za = zip_open(path, ZIP_RDONLY, NULL);
    zip_file_t *f = za ? zip_fopen(za, entry, 0) : NULL;
    if (!f)
        exit(1);
    static char buf[256 * 1024];
    zip_int64_t k;
    long n = 0, elems = 0;
    XML_Parser p = use_expat ? XML_ParserCreate(NULL) : NULL;
    if (p) {
        XML_SetUserData(p, &elems);
        XML_SetStartElementHandler(p, start);
    }
    while ((k = zip_fread(f, buf, sizeof buf)) > 0) {
        n += k;
        if (p)
            XML_Parse(p, buf, (int)k, 0);
    }
    if (p)
        XML_ParserFree(p);
    zip_fclose(f);
    zip_discard(za);
    double t = now() - t0;
    fprintf(stderr, "  (%ld bytes of XML, %ld elements)\n", n, elems);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    const char *entry = argc > 2 ? argv[2] : "xl/worksheets/sheet1.xml";
    for (int rep = 0; rep < 3; rep++) {
        double ti = getenv("READ_ONLY") ? 1 : inflate_only(argv[1], entry, 0);
        double te = rep == 0 && !getenv("READ_ONLY") ? inflate_only(argv[1], entry, 1) : 0;
        double t0 = now();
        egdi_reader *r;
        egdi_error err;
        if (egdi_reader_open(&r, argv[1], NULL, &err) != EGDI_OK) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        egdi_row row;
        egdi_status st;
        long rows = 0, cells = 0;
        double sum = 0;
        while ((st = egdi_reader_next(r, &row, &err)) == EGDI_OK) {
            rows++;
            cells += (long)row.ncells;
            for (size_t i = 0; i < row.ncells; i++)
                sum += row.cells[i].num;
        }
        egdi_reader_close(r);
        double tr = now() - t0;
        if (st != EGDI_DONE)
            fprintf(stderr, "error: %s\n", err.message);
        printf("inflate %.3f s%s%.3f s  egdi read %.3f s (%.2fx inflate)  %ld rows %ld cells "
               "sum %.0f\n", ti, te ? "  expat " : "  ", te, tr, tr / ti, rows, cells, sum);
    }
    return 0;
}
