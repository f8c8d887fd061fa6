/*
 * charts.c - the report's charts, drawn by gnuplot as PNG (pngcairo) and
 * SVG.
 *
 * How data reach gnuplot: never through the script.  Each chart kind has a
 * fixed script (the string constants below); the numbers and labels it
 * draws are written to tab-separated data files next to it, and the few
 * per-run words (title, axis labels, picture size) are passed as gnuplot's
 * `-c` arguments, which gnuplot binds to the string variables ARG1..ARG9
 * without parsing them.  gnuplot's data-file reader has no escape for a
 * double quote, so a label's `"` is written as the byte 0x1F and the script
 * turns it back with fix(); other control bytes become spaces.  Labels are
 * drawn with the `noenhanced` terminals, so `^ _ { } @ &` are plain text.
 *
 * gnuplot runs by fork + execv of the program found on PATH (no shell),
 * in a private scratch directory DIR/.chart-XXXXXX, with stdin and stdout
 * on /dev/null and stderr captured into the error.  The scratch directory
 * is removed in every case; NAME.png and NAME.svg are moved into DIR only
 * when gnuplot exited 0 and wrote both.
 *
 * Memory: nothing is kept; every buffer is freed before returning.
 */
#include "reports/report_private.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/core/dirs.h"

#define PATH_MAX_LEN   4096
#define STDERR_KEEP    400   /* bytes of gnuplot's stderr kept for the error */
#define CHART_ROOM     (1u << 20) /* free bytes under which a missing chart means a
                                     full disk */
#define MAX_LOAD_ITEMS 300   /* rows of the loading heat map */
#define MAX_LOAD_FACT  30
#define MAX_EIGEN      300
#define REST_MAX_BYTES 240   /* the names of what a chart left out, in it */
#define MAX_CLOSE_FD   4096  /* descriptors closed in the gnuplot child
                                when close_range is not there */

static const char *const chart_names[EGDI_CHART_COUNT] = {
    [EGDI_CHART_RANKING] = "ranking", [EGDI_CHART_REGIONS] = "regions",
    [EGDI_CHART_STAGES] = "stages",   [EGDI_CHART_RADAR] = "radar",
    [EGDI_CHART_TREND] = "trend",     [EGDI_CHART_SCREE] = "scree",
    [EGDI_CHART_LOADINGS] = "loadings", [EGDI_CHART_INTERVALS] = "intervals",
};

const char *egdi_chart_name(egdi_chart_kind k)
{
    if ((int)k < 0 || k >= EGDI_CHART_COUNT)
        return "chart";
    return chart_names[k];
}

/* ---- the scripts ------------------------------------------------------ */

/* Shared start: arguments, data-file syntax, the quote fix. */
#define PRELUDE                                                                 \
    "set encoding utf8\n"                                                       \
    "FONT = \"Noto Sans CJK SC,10\"\n"                                          \
    "W = int(ARG4)\n"                                                           \
    "H = int(ARG5)\n"                                                           \
    "set datafile separator \"\\t\"\n"                                          \
    "set datafile commentschars \"\"\n"                                         \
    "Q = \"\\037\"\n"                                                           \
    "fix(s) = strstrt(s, Q) == 0 ? s : "                                        \
    "fix(s[1:strstrt(s, Q) - 1] . \"\\\"\" . s[strstrt(s, Q) + 1:])\n"          \
    "set key noautotitle\n"                                                     \
    /* 20 line styles: ten colours solid with filled markers, then ten      \
     * darker colours dashed with open markers (EGDI_CHART_MAX_SERIES) */    \
    "set linetype 1 lc rgb \"#1f77b4\" lw 2 dt 1 pt 7\n" \
    "set linetype 2 lc rgb \"#ff7f0e\" lw 2 dt 1 pt 5\n" \
    "set linetype 3 lc rgb \"#2ca02c\" lw 2 dt 1 pt 9\n" \
    "set linetype 4 lc rgb \"#d62728\" lw 2 dt 1 pt 11\n" \
    "set linetype 5 lc rgb \"#9467bd\" lw 2 dt 1 pt 13\n" \
    "set linetype 6 lc rgb \"#8c564b\" lw 2 dt 1 pt 7\n" \
    "set linetype 7 lc rgb \"#e377c2\" lw 2 dt 1 pt 5\n" \
    "set linetype 8 lc rgb \"#7f7f7f\" lw 2 dt 1 pt 9\n" \
    "set linetype 9 lc rgb \"#bcbd22\" lw 2 dt 1 pt 11\n" \
    "set linetype 10 lc rgb \"#17becf\" lw 2 dt 1 pt 13\n" \
    "set linetype 11 lc rgb \"#0b3d91\" lw 2 dt 2 pt 4\n" \
    "set linetype 12 lc rgb \"#b8860b\" lw 2 dt 2 pt 6\n" \
    "set linetype 13 lc rgb \"#006400\" lw 2 dt 2 pt 8\n" \
    "set linetype 14 lc rgb \"#8b0000\" lw 2 dt 2 pt 10\n" \
    "set linetype 15 lc rgb \"#4b0082\" lw 2 dt 2 pt 12\n" \
    "set linetype 16 lc rgb \"#ff1493\" lw 2 dt 2 pt 4\n" \
    "set linetype 17 lc rgb \"#2f4f4f\" lw 2 dt 2 pt 6\n" \
    "set linetype 18 lc rgb \"#c5a000\" lw 2 dt 2 pt 8\n" \
    "set linetype 19 lc rgb \"#6b8e23\" lw 2 dt 2 pt 10\n" \
    "set linetype 20 lc rgb \"#00868b\" lw 2 dt 2 pt 12\n" \
    "set linetype cycle 20\n"                                                   \
    "set title ARG1 font \",13\"\n"                                             \
    "set xlabel ARG2\n"                                                         \
    "set ylabel ARG3\n"

/* Loops over the two terminals; the body plots once per terminal. */
#define TERMS_BEGIN                                                             \
    "do for [fmt in \"png svg\"] {\n"                                           \
    "  if (fmt eq \"png\") {\n"                                                 \
    "    set terminal pngcairo noenhanced font FONT size 2*W,2*H fontscale 2 "  \
    "linewidth 2 pointscale 2 background \"#ffffff\"\n"                         \
    "    set output \"chart.png\"\n"                                            \
    "  } else {\n"                                                              \
    "    set terminal svg noenhanced font FONT size W,H background \"#ffffff\"\n" \
    "    set output \"chart.svg\"\n"                                            \
    "  }\n"
#define TERMS_END "}\nset output\n"

/* bars.dat: label, value, colour (int), position;  bands.dat: lower (NaN
 * when open), name, "#rrggbb";  bounds.dat: x of each stage boundary.
 * ARG6 = x maximum, ARG7 = the format of the value labels. */
static const char script_bars[] =
    PRELUDE
    "stats \"bars.dat\" using 2 nooutput\n"
    "N = STATS_records\n"
    "stats \"bands.dat\" using (0) nooutput\n"
    "NS = STATS_records\n"
    "array stn[NS]\n"
    "array stc[NS]\n"
    "stats \"bands.dat\" using (stn[int($0) + 1] = fix(strcol(2)), "
    "stc[int($0) + 1] = strcol(3), 0) nooutput\n"
    "set xrange [0:real(ARG6)]\n"
    "set yrange [N - 0.4:-0.6]\n"
    "set ytics scale 0 font \",9\"\n"
    "set grid xtics\n"
    "set key outside right top\n"
    "set style fill solid 0.85 border lc rgb \"#555555\"\n"
    "set style textbox opaque noborder margins 1,1\n"
    TERMS_BEGIN
    "  plot \"bounds.dat\" using 1:(-0.6):(0):(N + 0.2) with vectors nohead dt 2 "
    "lw 1.5 lc rgb \"#333333\", \\\n"
    "       \"bars.dat\" using ($2 / 2):4:($2 / 2):(0.38):3:"
    "yticlabels(fix(strcol(1))) with boxxyerror lc rgb variable, \\\n"
    "       \"bars.dat\" using 2:4:(sprintf(ARG7, $2)) with labels boxed left "
    "offset 0.4,0 font \",8\", \\\n"
    "       for [i=1:NS] keyentry with boxes fc rgb stc[i] title stn[i]\n"
    TERMS_END;

/* intervals.dat: label, rank, low, high, colour (int), position (the
 * chart COINr calls plot_uncertainty: each unit's rank as a dot, its 5 %-95 %
 * interval as a whisker, red when its stage is uncertain).  ARG6 = the
 * largest rank shown + 1; ARG7 / ARG8 = the legend's texts. */
static const char script_intervals[] =
    PRELUDE
    "stats \"intervals.dat\" using 2 nooutput\n"
    "N = STATS_records\n"
    "set xrange [0.5:real(ARG6)]\n"
    "set yrange [N - 0.4:-0.6]\n"
    "set ytics scale 0 font \",9\"\n"
    "set grid xtics\n"
    "set key outside right top\n"
    TERMS_BEGIN
    "  plot \"intervals.dat\" using 2:6:3:4:5:yticlabels(fix(strcol(1))) with xerrorbars "
    "pt 7 ps 0.9 lw 1.5 lc rgb variable, \\\n"
    "       keyentry with points pt 7 lc rgb \"#1f77b4\" title ARG7, \\\n"
    "       keyentry with points pt 7 lc rgb \"#d62728\" title ARG8\n"
    TERMS_END;

/* stages.dat: name, count, previous count, colour (int), position.
 * ARG6 = 1 when there is a previous round; ARG7/ARG8 = round labels. */
static const char script_stages[] =
    PRELUDE
    "stats \"stages.dat\" using 2:3 nooutput\n"
    "NS = STATS_records\n"
    "if (STATS_max_x < 10 && STATS_max_y < 10) { set ytics 1 }\n"
    "HASPREV = int(ARG6)\n"
    "set xrange [-0.6:NS - 0.4]\n"
    "set yrange [0:*]\n"
    "set offsets 0, 0, graph 0.1, 0\n"
    "set xtics scale 0\n"
    "set grid ytics\n"
    "set key top right\n"
    "set style fill solid 0.85 border lc rgb \"#555555\"\n"
    "set boxwidth (HASPREV ? 0.38 : 0.6)\n"
    TERMS_BEGIN
    "  if (HASPREV) {\n"
    "    plot \"stages.dat\" using ($5 - 0.2):3 with boxes fs solid 0.5 "
    "lc rgb \"#b0b0b0\" title ARG8, \\\n"
    "         \"stages.dat\" using ($5 + 0.2):2:4 with boxes lc rgb variable "
    "title ARG7, \\\n"
    "         \"stages.dat\" using 5:(0):xticlabels(fix(strcol(1))) with points "
    "ps 0, \\\n"
    "         \"stages.dat\" using ($5 - 0.2):3:(sprintf(\"%d\", $3)) with labels "
    "offset 0,0.7, \\\n"
    "         \"stages.dat\" using ($5 + 0.2):2:(sprintf(\"%d\", $2)) with labels "
    "offset 0,0.7\n"
    "  } else {\n"
    "    plot \"stages.dat\" using 5:2:4:xticlabels(fix(strcol(1))) with boxes "
    "lc rgb variable, \\\n"
    "         \"stages.dat\" using 5:2:(sprintf(\"%d\", $2)) with labels "
    "offset 0,0.7\n"
    "  }\n"
    TERMS_END;

/* rest.dat: one line naming what a chart left out ("" when nothing), shown
 * at the foot of the picture. */
#define REST_LABEL                                                              \
    "REST = \"\"\n"                                                             \
    "stats \"rest.dat\" using (REST = fix(strcol(1)), 0) nooutput\n"            \
    "set label 99 REST at screen 0.01, screen 0.02 left font \",9\" "            \
    "tc rgb \"#555555\"\n"

/* names.dat: one series name a line;  grid.dat: polylines;  axes.dat and
 * ticks.dat: x, y, label;  radar.dat: one closed polygon per region, blocks
 * separated by two blank lines.  ARG6 = the bottom of the y range. */
static const char script_radar[] =
    PRELUDE
    "stats \"names.dat\" using (0) nooutput\n"
    "NR = STATS_records\n"
    "array nm[NR]\n"
    "stats \"names.dat\" using (nm[int($0) + 1] = fix(strcol(1)), 0) nooutput\n"
    "set size ratio -1\n"
    "unset border\n"
    "unset tics\n"
    "set xrange [-1.35:1.35]\n"
    "set yrange [real(ARG6):1.25]\n"
    "set key outside right top\n"
    REST_LABEL
    TERMS_BEGIN
    "  plot \"grid.dat\" using 1:2 with lines lw 1 lc rgb \"#c8c8c8\", \\\n"
    "       \"ticks.dat\" using 1:2:(strcol(3)) with labels left offset 0.3,0 "
    "font \",8\" tc rgb \"#888888\", \\\n"
    "       \"axes.dat\" using 1:2:(fix(strcol(3))) with labels font \",11\", \\\n"
    "       for [i=1:NR] \"radar.dat\" index (i - 1) using 1:2 with linespoints lt i lw 2 "
    "ps 0.7 title nm[i]\n"
    TERMS_END;

/* names.dat as above;  trend.dat: round, value; one block per series. */
static const char script_trend[] =
    PRELUDE
    "stats \"names.dat\" using (0) nooutput\n"
    "NR = STATS_records\n"
    "array nm[NR]\n"
    "stats \"names.dat\" using (nm[int($0) + 1] = fix(strcol(1)), 0) nooutput\n"
    "set xtics 1 format \"%.0f\"\n"
    "set autoscale xfix\n"
    "set grid\n"
    "set offsets 0.3, 0.3, 0, 0\n"
    "set key outside right top\n"
    "set bmargin 5\n"
    REST_LABEL
    TERMS_BEGIN
    "  plot for [i=1:NR] \"trend.dat\" index (i - 1) using 1:2 with linespoints "
    "lt i lw 2 ps 0.8 title nm[i]\n"
    TERMS_END;

/* scree.dat: k, eigenvalue, parallel-analysis value (NaN = none).
 * ARG6 = 1 when the parallel line is there; ARG7/ARG8 = key titles. */
static const char script_scree[] =
    PRELUDE
    "HASPA = int(ARG6)\n"
    "set xtics 1\n"
    "set grid\n"
    "set key top right\n"
    TERMS_BEGIN
    "  if (HASPA) {\n"
    "    plot \"scree.dat\" using 1:2 with linespoints lw 2 pt 7 lc rgb \"#1f77b4\" "
    "title ARG7, \\\n"
    "         \"scree.dat\" using 1:3 with linespoints dt 2 lw 2 pt 6 "
    "lc rgb \"#d62728\" title ARG8, \\\n"
    "         1 with lines dt 3 lc rgb \"#888888\" title \"λ = 1\"\n"
    "  } else {\n"
    "    plot \"scree.dat\" using 1:2 with linespoints lw 2 pt 7 lc rgb \"#1f77b4\" "
    "title ARG7, \\\n"
    "         1 with lines dt 3 lc rgb \"#888888\" title \"λ = 1\"\n"
    "  }\n"
    TERMS_END;

/* heat.dat: factor position, item position, loading, item label, factor
 * label.  ARG6 = number of items, ARG7 = number of factors. */
static const char script_loadings[] =
    PRELUDE
    "NI = int(ARG6)\n"
    "NF = int(ARG7)\n"
    "set palette defined (-1 \"#2166ac\", 0 \"#ffffff\", 1 \"#b2182b\")\n"
    "set cbrange [-1:1]\n"
    "set xrange [0.5:NF + 0.5]\n"
    "set yrange [NI + 0.5:0.5]\n"
    "set tics scale 0\n"
    "set style fill solid 1.0 noborder\n"
    TERMS_BEGIN
    "  plot \"heat.dat\" using 1:2:(0.5):(0.5):3:xticlabels(fix(strcol(5))):"
    "yticlabels(fix(strcol(4))) with boxxyerror fc palette, \\\n"
    "       \"heat.dat\" using 1:2:(sprintf(\"%.2f\", $3)) with labels font \",9\"\n"
    TERMS_END;

/* ---- small helpers ---------------------------------------------------- */

typedef struct {
    char dir[PATH_MAX_LEN]; /* scratch directory */
    FILE *f;                /* the data file being written */
    char fname[64];
    bool failed;
} scratch;

/* Opens data file name in the scratch directory for writing. */
static egdi_status data_open(scratch *s, const char *name, egdi_error *err)
{
    char path[PATH_MAX_LEN];
    int n = snprintf(path, sizeof path, "%s/%s", s->dir, name);
    if (n < 0 || (size_t)n >= sizeof path)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "chart directory path too long");
    s->f = fopen(path, "w");
    if (!s->f)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path,
                              strerror(errno));
    snprintf(s->fname, sizeof s->fname, "%s", name);
    s->failed = false;
    return EGDI_OK;
}

static egdi_status data_close(scratch *s, egdi_error *err)
{
    if (!s->f)
        return EGDI_OK;
    bool bad = s->failed || ferror(s->f);
    if (fclose(s->f) != 0)
        bad = true;
    s->f = NULL;
    if (bad)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write chart data \"%s/%s\": %s",
                              s->dir, s->fname, strerror(errno ? errno : EIO));
    return EGDI_OK;
}

static void put(scratch *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(scratch *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(s->f, fmt, ap) < 0)
        s->failed = true;
    va_end(ap);
}

/* A number for gnuplot: full precision, NaN for a missing one. */
static void put_num(scratch *s, double v)
{
    if (isnan(v) || isinf(v))
        put(s, "NaN");
    else
        put(s, "%.17g", v);
}

/* A label as one data field: `"` becomes 0x1F (turned back by fix() in the
 * script), other control bytes become spaces, an empty label is "-". */
static void put_label(scratch *s, const char *text)
{
    if (!text || !*text) {
        put(s, "-");
        return;
    }
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        int c = *p;
        if (c == '"')
            c = 0x1f;
        else if (c < 0x20 || c == 0x7f)
            c = ' ';
        if (fputc(c, s->f) == EOF)
            s->failed = true;
    }
}

static uint32_t stage_colour(const egdi_report_data *d, int stage)
{
    if (stage < 0 || (size_t)stage >= d->nstages)
        return 0xaaaaaa;
    return d->stages[stage].colour & 0xffffffu;
}

/* The upper end of the index scale: the last finite stage bound, or the
 * largest value, rounded up; at least 1. */
static double index_scale(const egdi_report_data *d)
{
    double m = 0;
    for (size_t i = 0; i < d->nstages; i++) {
        if (isfinite(d->stages[i].upper) && d->stages[i].upper > m)
            m = d->stages[i].upper;
        if (isfinite(d->stages[i].lower) && d->stages[i].lower > m)
            m = d->stages[i].lower;
    }
    for (size_t i = 0; i < d->nunits; i++)
        if (isfinite(d->units[i].index) && d->units[i].index > m)
            m = d->units[i].index;
    for (size_t i = 0; i < d->nregions; i++)
        if (isfinite(d->regions[i].index) && d->regions[i].index > m)
            m = d->regions[i].index;
    if (m <= 1.0)
        return 1.0;
    if (m <= 100.0)
        return 100.0;
    return ceil(m / 10.0) * 10.0;
}

/* Finds prog on PATH (or checks it when it contains '/'). */
static bool find_program(const char *prog, char *out, size_t size)
{
    if (strchr(prog, '/')) {
        int n = snprintf(out, size, "%s", prog);
        return n >= 0 && (size_t)n < size && access(out, X_OK) == 0;
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        const char *dirp = len ? path : ".";
        int dl = len ? (int)len : 1;
        int n = snprintf(out, size, "%.*s/%s", dl, dirp, prog);
        struct stat st;
        if (n >= 0 && (size_t)n < size && stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
            access(out, X_OK) == 0)
            return true;
        if (!end)
            break;
        path = end + 1;
    }
    return false;
}

/*
 * Runs `prog -c chart.gp ARGS...` in dir; EGDI_OK when it exits 0.
 * Otherwise EGDI_ERR_IO with the exit status and the start of its stderr.
 */
static egdi_status run_gnuplot(const char *prog, const char *dir, const char *name,
                               char *const args[9], egdi_error *err)
{
    char *argv[13];
    size_t a = 0;
    argv[a++] = (char *)prog;
    argv[a++] = (char *)"-c";
    argv[a++] = (char *)"chart.gp";
    for (size_t i = 0; i < 9 && args[i]; i++)
        argv[a++] = args[i];
    argv[a] = NULL;

    long maxfd = sysconf(_SC_OPEN_MAX);
    if (maxfd < 0 || maxfd > MAX_CLOSE_FD)
        maxfd = MAX_CLOSE_FD;
    int pfd[2];
    if (pipe(pfd) != 0)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot run gnuplot: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot run gnuplot: %s", strerror(e));
    }
    if (pid == 0) {
        /* child: only async-signal-safe calls until execv */
        close(pfd[0]);
        int nul = open("/dev/null", O_RDWR);
        if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(pfd[1], 2) < 0)
            _exit(126);
        /* the caller's files stay its own */
#ifdef SYS_close_range
        if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
#endif
            for (int fd = 3; fd < (int)maxfd; fd++)
                close(fd);
        if (chdir(dir) != 0) {
            static const char m[] = "cannot enter the chart directory\n";
            (void)!write(2, m, sizeof m - 1);
            _exit(126);
        }
        execv(prog, argv);
        static const char m[] = "cannot execute gnuplot\n";
        (void)!write(2, m, sizeof m - 1);
        _exit(127);
    }
    close(pfd[1]);
    char keep[STDERR_KEEP + 1];
    size_t kept = 0;
    char buf[1024];
    for (;;) {
        ssize_t r = read(pfd[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t take = (size_t)r;
        if (take > STDERR_KEEP - kept)
            take = STDERR_KEEP - kept;
        memcpy(keep + kept, buf, take);
        kept += take;
    }
    close(pfd[0]);
    keep[kept] = '\0';
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return egdi_error_set(err, EGDI_ERR_IO, "gnuplot (%s chart): %s", name,
                                  strerror(errno));
    }
    /* one line: newlines in gnuplot's message become " | " */
    for (size_t i = 0; i < kept; i++)
        if (keep[i] == '\n' || keep[i] == '\r')
            keep[i] = ' ';
    while (kept > 0 && keep[kept - 1] == ' ')
        keep[--kept] = '\0';
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return EGDI_OK;
    if (WIFEXITED(status))
        return egdi_error_set(err, EGDI_ERR_IO, "gnuplot failed drawing the %s chart "
                              "(exit %d): %s", name, WEXITSTATUS(status), keep);
    return egdi_error_set(err, EGDI_ERR_IO, "gnuplot failed drawing the %s chart "
                          "(signal %d): %s", name,
                          WIFSIGNALED(status) ? WTERMSIG(status) : 0, keep);
}

/* ---- the data of each chart -------------------------------------------- */

typedef struct {
    const char *script;
    char a[9][160]; /* ARG1..ARG9 */
    size_t nargs;
} chart_run;

static void set_arg(chart_run *r, size_t i, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void set_arg(chart_run *r, size_t i, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->a[i], sizeof r->a[i], fmt, ap);
    va_end(ap);
    if (n < 0)
        r->a[i][0] = '\0';
    /* a longer title is cut; it is a caption, not data */
    if (i + 1 > r->nargs)
        r->nargs = i + 1;
}

/* Nothing to draw for this chart. */
static void skip(egdi_chart_result *res, const char *why)
{
    res->state = EGDI_CHART_EMPTY;
    snprintf(res->reason, sizeof res->reason, "%s", why);
}

/* bars.dat, bands.dat, bounds.dat for a ranking of units. */
/* A unit's, region's or series' label: its name, or its code when unnamed. */
static const char *name_or_code(const char *name, const char *code)
{
    return name && *name ? name : code;
}

/* Region i has all m sub-indices (it is drawn in the radar chart). */
static bool region_complete(const egdi_report_data *d, size_t i, size_t m)
{
    for (size_t j = 0; j < m; j++)
        if (!isfinite(d->regions[i].sub[j]))
            return false;
    return true;
}

/* Series i has points (it is drawn in the trend chart). */
static bool series_drawn(const egdi_report_data *d, size_t i)
{
    return d->series[i].npoints > 0 && d->series[i].points;
}

static egdi_status prep_bars(const egdi_report_data *d, const egdi_report_unit *u, size_t n,
                             bool regions, scratch *s, chart_run *r, egdi_chart_result *res,
                             egdi_error *err)
{
    size_t ranked = 0;
    for (size_t i = 0; i < n; i++)
        if (u[i].rankable && isfinite(u[i].index))
            ranked++;
    if (ranked == 0) {
        skip(res, regions ? "no ranked regions" : "no ranked units");
        return EGDI_DONE;
    }
    double scale = index_scale(d);
    egdi_status st = data_open(s, "bars.dat", err);
    if (st)
        return st;
    size_t shown = 0;
    for (size_t i = 0; i < n && shown < EGDI_CHART_MAX_BARS; i++) {
        if (!u[i].rankable || !isfinite(u[i].index))
            continue;
        put_label(s, name_or_code(u[i].name, u[i].code));
        put(s, "\t");
        put_num(s, u[i].index);
        put(s, "\t%lu\t%zu\n", (unsigned long)stage_colour(d, u[i].stage), shown);
        shown++;
    }
    if ((st = data_close(s, err)))
        return st;
    if ((st = data_open(s, "bands.dat", err)))
        return st;
    for (size_t i = 0; i < d->nstages; i++) {
        put_num(s, d->stages[i].lower);
        put(s, "\t");
        put_label(s, egdi_report_stage_name(d, (int)i));
        put(s, "\t#%06lx\n", (unsigned long)stage_colour(d, (int)i));
    }
    if (d->nstages == 0)
        put(s, "0\t-\t#aaaaaa\n");
    if ((st = data_close(s, err)))
        return st;
    if ((st = data_open(s, "bounds.dat", err)))
        return st;
    size_t nb = 0;
    for (size_t i = 0; i < d->nstages; i++)
        if (isfinite(d->stages[i].lower) && d->stages[i].lower > 0 &&
            d->stages[i].lower < scale) {
            put_num(s, d->stages[i].lower);
            put(s, "\n");
            nb++;
        }
    if (nb == 0)
        put(s, "0\n");
    if ((st = data_close(s, err)))
        return st;

    r->script = script_bars;
    const char *ix = report_index(d);
    if (regions)
        set_arg(r, 0, TR(d, "%d 年地区 %s 排名", "%d %s ranking of regions"), d->round, ix);
    else if (shown < ranked)
        set_arg(r, 0, TR(d, "%d 年 %s 排名（前 %zu 名，共 %zu 个单位）",
                                  "%d %s ranking (top %zu of %zu units)"),
                d->round, ix, shown, ranked);
    else
        set_arg(r, 0, TR(d, "%d 年 %s 排名", "%d %s ranking"), d->round, ix);
    set_arg(r, 1, "%s", ix);
    set_arg(r, 2, "%s", "");
    set_arg(r, 3, "%d", 980);
    set_arg(r, 4, "%zu", shown < 6 ? 280 : 150 + 22 * shown);
    set_arg(r, 5, "%.17g", scale);
    set_arg(r, 6, "%s", scale <= 1.0 ? "%.3f" : "%.1f"); /* value labels */
    return EGDI_OK;
}

/* intervals.dat: the top of the ranking with their rank intervals. */
static egdi_status prep_intervals(const egdi_report_data *d, scratch *s, chart_run *r,
                                  egdi_chart_result *res, egdi_error *err)
{
    if (!d->uncertainty) {
        skip(res, "no uncertainty run (egdi uncertainty)");
        return EGDI_DONE;
    }
    size_t shown = 0, ranked = 0;
    double top = 1;
    for (size_t i = 0; i < d->nunits; i++)
        if (d->units[i].rankable && d->units[i].rank && isfinite(d->units[i].rank_lo))
            ranked++;
    if (ranked == 0) {
        skip(res, "no ranked units with an interval");
        return EGDI_DONE;
    }
    egdi_status st = data_open(s, "intervals.dat", err);
    if (st)
        return st;
    for (size_t i = 0; i < d->nunits && shown < EGDI_CHART_MAX_BARS; i++) {
        const egdi_report_unit *u = &d->units[i];
        if (!u->rankable || !u->rank || !isfinite(u->rank_lo) || !isfinite(u->rank_hi))
            continue;
        put_label(s, name_or_code(u->name, u->code));
        put(s, "\t%lu\t", (unsigned long)u->rank);
        put_num(s, u->rank_lo);
        put(s, "\t");
        put_num(s, u->rank_hi);
        put(s, "\t%lu\t%zu\n", u->stage_uncertain ? 0xd62728ul : 0x1f77b4ul, shown);
        if (u->rank_hi > top)
            top = u->rank_hi;
        if ((double)u->rank > top)
            top = (double)u->rank;
        shown++;
    }
    if ((st = data_close(s, err)))
        return st;
    r->script = script_intervals;
    if (shown < ranked)
        set_arg(r, 0, TR(d, "%d 年排名及其 5%%–95%% 区间（前 %zu 名，共 %zu 个单位）",
                         "%d ranks and their 5%%-95%% intervals (top %zu of %zu units)"),
                d->round, shown, ranked);
    else
        set_arg(r, 0, TR(d, "%d 年排名及其 5%%–95%% 区间", "%d ranks and their 5%%-95%% intervals"),
                d->round);
    set_arg(r, 1, "%s", TR(d, "排名", "rank"));
    set_arg(r, 2, "%s", "");
    set_arg(r, 3, "%d", 980);
    set_arg(r, 4, "%zu", shown < 6 ? 280 : 150 + 22 * shown);
    set_arg(r, 5, "%.17g", top + 1);
    set_arg(r, 6, "%s", TR(d, "阶段确定", "stage sure"));
    set_arg(r, 7, "%s", TR(d, "阶段不确定", "stage uncertain"));
    return EGDI_OK;
}

static egdi_status prep_stages(const egdi_report_data *d, scratch *s, chart_run *r,
                               egdi_chart_result *res, egdi_error *err)
{
    if (d->nstages == 0 || d->nunits == 0) {
        skip(res, d->nstages ? "no units" : "no stages");
        return EGDI_DONE;
    }
    size_t counts[EGDI_REPORT_MAX_STAGES + 1], prev[EGDI_REPORT_MAX_STAGES + 1];
    egdi_report_stage_counts(d, d->units, d->nunits, counts, prev, NULL);
    bool has_prev = false;
    for (size_t i = 0; i < d->nstages; i++)
        has_prev = has_prev || prev[i] > 0;
    egdi_status st = data_open(s, "stages.dat", err);
    if (st)
        return st;
    for (size_t i = 0; i < d->nstages; i++) {
        put_label(s, egdi_report_stage_name(d, (int)i));
        put(s, "\t%zu\t%zu\t%lu\t%zu\n", counts[i], prev[i],
            (unsigned long)stage_colour(d, (int)i), i);
    }
    if ((st = data_close(s, err)))
        return st;
    r->script = script_stages;
    set_arg(r, 0, TR(d, "%d 年发展阶段分布", "Development stages, %d"), d->round);
    set_arg(r, 1, "%s", "");
    set_arg(r, 2, "%s", TR(d, "单位数", "units"));
    set_arg(r, 3, "%d", 900);
    set_arg(r, 4, "%d", 480);
    set_arg(r, 5, "%d", has_prev ? 1 : 0);
    set_arg(r, 6, "%d", d->round);
    set_arg(r, 7, "%d", d->prev_round);
    return EGDI_OK;
}

/* Series s (a region for the radar, a trend series) in the order drawn. */
static bool radar_ok(const egdi_report_data *d, size_t i)
{
    return region_complete(d, i, d->nsub);
}

/* The trend series of region r (by code), or -1. */
static long series_of(const egdi_report_data *d, const char *code)
{
    for (size_t i = 0; i < d->nseries; i++)
        if (code && d->series[i].code && strcmp(d->series[i].code, code) == 0)
            return series_drawn(d, i) ? (long)i : -1;
    return -1;
}

size_t egdi_chart_series(const egdi_report_data *d, egdi_chart_kind k,
                         size_t idx[EGDI_CHART_MAX_SERIES], size_t *rest)
{
    size_t n = 0, left = 0;
    if (k == EGDI_CHART_RADAR) {
        for (size_t i = 0; i < d->nregions; i++) {
            if (d->nsub >= 3 && radar_ok(d, i) && n < EGDI_CHART_MAX_SERIES)
                idx[n++] = i;
            else
                left++;
        }
    } else if (k == EGDI_CHART_TREND) {
        if (d->nregions) { /* in the regions' rank order */
            for (size_t i = 0; i < d->nregions; i++) {
                long si = series_of(d, d->regions[i].code);
                if (si >= 0 && n < EGDI_CHART_MAX_SERIES)
                    idx[n++] = (size_t)si;
                else
                    left++;
            }
        } else {
            for (size_t i = 0; i < d->nseries; i++) {
                if (series_drawn(d, i) && n < EGDI_CHART_MAX_SERIES)
                    idx[n++] = i;
                else
                    left++;
            }
        }
    }
    if (rest)
        *rest = left;
    return n;
}

/* rest.dat: "N not drawn: A, B, ..." naming the regions (or series) of
 * chart k that idx[0..n) leaves out, as many as fit REST_MAX_BYTES. */
static egdi_status write_rest(const egdi_report_data *d, egdi_chart_kind k, scratch *s,
                              const size_t *idx, size_t n, size_t rest, egdi_error *err)
{
    egdi_status st = data_open(s, "rest.dat", err);
    if (st)
        return st;
    if (rest) {
        char line[REST_MAX_BYTES + 64];
        size_t len = 0;
        int w = snprintf(line, sizeof line, TR(d, "另有 %zu 个未画出：", "%zu not drawn: "), rest);
        len = w > 0 ? (size_t)w : 0;
        bool radar = k == EGDI_CHART_RADAR || d->nregions;
        size_t total = radar ? d->nregions : d->nseries, named = 0;
        for (size_t i = 0; i < total; i++) {
            size_t j = 0;
            while (j < n && idx[j] != (k == EGDI_CHART_TREND && d->nregions
                                           ? (size_t)series_of(d, d->regions[i].code)
                                           : i))
                j++;
            if (j < n)
                continue;
            const char *nm = radar ? name_or_code(d->regions[i].name, d->regions[i].code)
                                   : name_or_code(d->series[i].name, d->series[i].code);
            const char *sep = named ? TR(d, "、", ", ") : "";
            if (len + strlen(sep) + strlen(nm) > REST_MAX_BYTES) {
                snprintf(line + len, sizeof line - len, "%s", TR(d, "等", " ..."));
                break;
            }
            w = snprintf(line + len, sizeof line - len, "%s%s", sep, nm);
            if (w > 0)
                len += (size_t)w;
            named++;
        }
        put_label(s, line);
    } else {
        put(s, " ");
    }
    put(s, "\n");
    return data_close(s, err);
}

static egdi_status prep_radar(const egdi_report_data *d, scratch *s, chart_run *r,
                              egdi_chart_result *res, egdi_error *err)
{
    size_t m = d->nsub;
    if (m < 3) {
        skip(res, "a radar chart needs at least 3 sub-indices");
        return EGDI_DONE;
    }
    size_t idx[EGDI_CHART_MAX_SERIES], rest = 0;
    size_t nr = egdi_chart_series(d, EGDI_CHART_RADAR, idx, &rest);
    if (nr == 0) {
        skip(res, "no regions with all sub-indices");
        return EGDI_DONE;
    }
    double scale = 100.0;
    for (size_t i = 0; i < d->nregions; i++)
        for (size_t j = 0; j < m; j++)
            if (isfinite(d->regions[i].sub[j]) && d->regions[i].sub[j] > scale)
                scale = d->regions[i].sub[j];
    bool unit_scale = true;
    for (size_t i = 0; i < d->nregions; i++)
        for (size_t j = 0; j < m; j++)
            if (isfinite(d->regions[i].sub[j]) && d->regions[i].sub[j] > 1.0)
                unit_scale = false;
    if (unit_scale)
        scale = 1.0;
    const double pi = 3.14159265358979323846;
    double ang[EGDI_REPORT_MAX_SUB];
    for (size_t j = 0; j < m; j++)
        ang[j] = pi / 2 - 2 * pi * (double)j / (double)m;

    egdi_status st = data_open(s, "grid.dat", err);
    if (st)
        return st;
    for (int g = 1; g <= 5; g++) {
        for (size_t j = 0; j <= m; j++)
            put(s, "%.6f\t%.6f\n", g / 5.0 * cos(ang[j % m]), g / 5.0 * sin(ang[j % m]));
        put(s, "\n");
    }
    for (size_t j = 0; j < m; j++)
        put(s, "0\t0\n%.6f\t%.6f\n\n", cos(ang[j]), sin(ang[j]));
    if ((st = data_close(s, err)))
        return st;
    if ((st = data_open(s, "ticks.dat", err)))
        return st;
    for (int g = 1; g <= 5; g++)
        put(s, "%.6f\t%.6f\t%g\n", 0.02, g / 5.0, scale * g / 5.0);
    if ((st = data_close(s, err)))
        return st;
    if ((st = data_open(s, "axes.dat", err)))
        return st;
    for (size_t j = 0; j < m; j++) {
        put(s, "%.6f\t%.6f\t", 1.13 * cos(ang[j]), 1.1 * sin(ang[j]));
        put_label(s, d->sub_codes[j]);
        put(s, "\n");
    }
    if ((st = data_close(s, err)))
        return st;
    if ((st = data_open(s, "names.dat", err)))
        return st;
    for (size_t k = 0; k < nr; k++) {
        size_t i = idx[k];
        put_label(s, name_or_code(d->regions[i].name, d->regions[i].code));
        put(s, "\n");
    }
    if ((st = data_close(s, err)))
        return st;
    if ((st = data_open(s, "radar.dat", err)))
        return st;
    for (size_t k = 0; k < nr; k++) {
        size_t i = idx[k];
        if (k)
            put(s, "\n\n");
        for (size_t j = 0; j <= m; j++) {
            double v = d->regions[i].sub[j % m] / scale;
            if (v < 0)
                v = 0;
            put(s, "%.6f\t%.6f\n", v * cos(ang[j % m]), v * sin(ang[j % m]));
        }
    }
    if ((st = data_close(s, err)) || (st = write_rest(d, EGDI_CHART_RADAR, s, idx, nr, rest, err)))
        return st;
    r->script = script_radar;
    set_arg(r, 0, TR(d, "%d 年各地区分指数", "Sub-indices by region, %d"), d->round);
    set_arg(r, 1, "%s", "");
    set_arg(r, 2, "%s", "");
    double ymin = 0; /* the lowest axis label, and some room */
    for (size_t j = 0; j < m; j++)
        if (1.1 * sin(ang[j]) < ymin)
            ymin = 1.1 * sin(ang[j]);
    ymin -= 0.15;
    set_arg(r, 3, "%d", 980);
    set_arg(r, 4, "%d", (int)(300.0 * (1.25 - ymin)) + 60);
    set_arg(r, 5, "%.3f", ymin);
    return EGDI_OK;
}

static egdi_status prep_trend(const egdi_report_data *d, scratch *s, chart_run *r,
                              egdi_chart_result *res, egdi_error *err)
{
    size_t idx[EGDI_CHART_MAX_SERIES], rest = 0;
    size_t ns = egdi_chart_series(d, EGDI_CHART_TREND, idx, &rest);
    if (ns == 0) {
        skip(res, "no trend series");
        return EGDI_DONE;
    }
    egdi_status st = data_open(s, "names.dat", err);
    if (st)
        return st;
    for (size_t k = 0; k < ns; k++) {
        const egdi_report_series *se = &d->series[idx[k]];
        put_label(s, name_or_code(se->name, se->code));
        put(s, "\n");
    }
    if ((st = data_close(s, err)))
        return st;
    if ((st = data_open(s, "trend.dat", err)))
        return st;
    for (size_t k = 0; k < ns; k++) {
        const egdi_report_series *se = &d->series[idx[k]];
        if (k)
            put(s, "\n\n");
        for (size_t p = 0; p < se->npoints; p++) {
            put(s, "%d\t", se->points[p].round);
            put_num(s, se->points[p].value);
            put(s, "\n");
        }
    }
    if ((st = data_close(s, err)) || (st = write_rest(d, EGDI_CHART_TREND, s, idx, ns, rest, err)))
        return st;
    r->script = script_trend;
    set_arg(r, 0, TR(d, "%s 历年变化", "%s across rounds"), report_index(d));
    set_arg(r, 1, "%s", TR(d, "年度", "round"));
    set_arg(r, 2, "%s", report_index(d));
    set_arg(r, 3, "%d", 980);
    set_arg(r, 4, "%d", 560);
    return EGDI_OK;
}

static egdi_status prep_scree(const egdi_report_data *d, scratch *s, chart_run *r,
                              egdi_chart_result *res, egdi_error *err)
{
    const egdi_report_survey *sv = d->survey;
    if (!sv || sv->neigen == 0 || !sv->eigen) {
        skip(res, "no survey eigenvalues");
        return EGDI_DONE;
    }
    size_t n = sv->neigen < MAX_EIGEN ? sv->neigen : MAX_EIGEN;
    egdi_status st = data_open(s, "scree.dat", err);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++) {
        put(s, "%zu\t", i + 1);
        put_num(s, sv->eigen[i]);
        put(s, "\t");
        put_num(s, sv->parallel ? sv->parallel[i] : NAN);
        put(s, "\n");
    }
    if ((st = data_close(s, err)))
        return st;
    r->script = script_scree;
    set_arg(r, 0, TR(d, "碎石图", "Scree plot"));
    set_arg(r, 1, "%s", TR(d, "因子序号", "factor"));
    set_arg(r, 2, "%s", TR(d, "特征值", "eigenvalue"));
    set_arg(r, 3, "%d", 800);
    set_arg(r, 4, "%d", 480);
    set_arg(r, 5, "%d", sv->parallel ? 1 : 0);
    set_arg(r, 6, "%s", TR(d, "实际数据特征值", "observed eigenvalues"));
    set_arg(r, 7, "%s", TR(d, "平行分析（模拟数据）", "parallel analysis"));
    return EGDI_OK;
}

static egdi_status prep_loadings(const egdi_report_data *d, scratch *s, chart_run *r,
                                 egdi_chart_result *res, egdi_error *err)
{
    const egdi_report_survey *sv = d->survey;
    if (!sv || sv->nitems == 0 || sv->nfactors == 0 || !sv->loadings) {
        skip(res, "no survey loadings");
        return EGDI_DONE;
    }
    size_t ni = sv->nitems < MAX_LOAD_ITEMS ? sv->nitems : MAX_LOAD_ITEMS;
    size_t nf = sv->nfactors < MAX_LOAD_FACT ? sv->nfactors : MAX_LOAD_FACT;
    egdi_status st = data_open(s, "heat.dat", err);
    if (st)
        return st;
    for (size_t i = 0; i < ni; i++)
        for (size_t j = 0; j < nf; j++) {
            double v = sv->loadings[i * sv->nfactors + j];
            put(s, "%zu\t%zu\t", j + 1, i + 1);
            put_num(s, isfinite(v) ? v : 0.0);
            put(s, "\t");
            put_label(s, sv->items ? sv->items[i] : NULL);
            put(s, "\t");
            char fb[32];
            snprintf(fb, sizeof fb, "F%zu", j + 1);
            put_label(s, sv->factors && sv->factors[j] ? sv->factors[j] : fb);
            put(s, "\n");
        }
    if ((st = data_close(s, err)))
        return st;
    r->script = script_loadings;
    set_arg(r, 0, TR(d, "因子载荷", "Factor loadings"));
    set_arg(r, 1, "%s", "");
    set_arg(r, 2, "%s", "");
    set_arg(r, 3, "%zu", 260 + 110 * nf);
    set_arg(r, 4, "%zu", 120 + 24 * ni);
    set_arg(r, 5, "%zu", ni);
    set_arg(r, 6, "%zu", nf);
    return EGDI_OK;
}

/* Writes the fixed script text as chart.gp. */
static egdi_status write_script(scratch *s, const char *text, egdi_error *err)
{
    egdi_status st = data_open(s, "chart.gp", err);
    if (st)
        return st;
    if (fputs(text, s->f) == EOF)
        s->failed = true;
    return data_close(s, err);
}

/* Moves scratch/chart.EXT to dir/NAME.EXT, checking it is not empty. */
static egdi_status move_out(const char *scr, const char *dir, const char *name,
                            const char *ext, egdi_error *err)
{
    char from[PATH_MAX_LEN], to[PATH_MAX_LEN];
    int n1 = snprintf(from, sizeof from, "%s/chart.%s", scr, ext);
    int n2 = snprintf(to, sizeof to, "%s/%s.%s", dir, name, ext);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof from || (size_t)n2 >= sizeof to)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "chart directory path too long");
    struct stat st;
    struct statvfs fs;
    if (stat(from, &st) != 0 || st.st_size == 0) {
        /* gnuplot says why only on its stderr: a full disk is the usual cause */
        if (statvfs(scr, &fs) == 0 && (uint64_t)fs.f_bavail * fs.f_frsize < CHART_ROOM)
            return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", to,
                                  "the disk is full");
        return egdi_error_set(err, EGDI_ERR_IO, "gnuplot wrote no %s for the %s chart", ext,
                              name);
    }
    if (rename(from, to) != 0)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", to,
                              strerror(errno));
    return EGDI_OK;
}

egdi_status egdi_chart_draw(const egdi_report_data *d, egdi_chart_kind k, const char *dir,
                            const char *gnuplot, egdi_chart_result *res, egdi_error *err)
{
    egdi_chart_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    res->state = EGDI_CHART_NONE;
    if (!d || !dir || (int)k < 0 || k >= EGDI_CHART_COUNT)
        return egdi_error_set(err, EGDI_ERR_ARG, "egdi_chart_draw: bad arguments");
    const char *name = chart_names[k];

    char prog[PATH_MAX_LEN];
    if (!find_program(gnuplot ? gnuplot : "gnuplot", prog, sizeof prog)) {
        res->state = EGDI_CHART_SKIPPED;
        snprintf(res->reason, sizeof res->reason, "skipped: gnuplot not found");
        return EGDI_OK;
    }

    scratch s;
    memset(&s, 0, sizeof s);
    int n = snprintf(s.dir, sizeof s.dir, "%s/.chart-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof s.dir)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "chart directory path too long");
    if (!mkdtemp(s.dir))
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write charts into \"%s\": %s", dir,
                              strerror(errno));

    chart_run r;
    memset(&r, 0, sizeof r);
    egdi_status st;
    switch (k) {
    case EGDI_CHART_RANKING:
        st = prep_bars(d, d->units, d->nunits, false, &s, &r, res, err);
        break;
    case EGDI_CHART_REGIONS:
        st = prep_bars(d, d->regions, d->nregions, true, &s, &r, res, err);
        break;
    case EGDI_CHART_STAGES:
        st = prep_stages(d, &s, &r, res, err);
        break;
    case EGDI_CHART_RADAR:
        st = prep_radar(d, &s, &r, res, err);
        break;
    case EGDI_CHART_TREND:
        st = prep_trend(d, &s, &r, res, err);
        break;
    case EGDI_CHART_SCREE:
        st = prep_scree(d, &s, &r, res, err);
        break;
    case EGDI_CHART_INTERVALS:
        st = prep_intervals(d, &s, &r, res, err);
        break;
    default:
        st = prep_loadings(d, &s, &r, res, err);
        break;
    }
    if (st == EGDI_DONE) { /* nothing to draw: res says why */
        st = EGDI_OK;
        goto done;
    }
    if (st)
        goto done;
    if ((st = write_script(&s, r.script, err)))
        goto done;
    char *args[9] = {0};
    for (size_t i = 0; i < r.nargs; i++)
        args[i] = r.a[i];
    if ((st = run_gnuplot(prog, s.dir, name, args, err)))
        goto done;
    if ((st = move_out(s.dir, dir, name, "png", err)))
        goto done;
    if ((st = move_out(s.dir, dir, name, "svg", err)))
        goto done;
    res->state = EGDI_CHART_WRITTEN;
    res->reason[0] = '\0';
done:
    if (s.f) {
        fclose(s.f);
        s.f = NULL;
    }
    if (st && res->state != EGDI_CHART_WRITTEN) {
        /* leave no half chart behind */
        char p[PATH_MAX_LEN];
        if (snprintf(p, sizeof p, "%s/%s.png", dir, name) < (int)sizeof p)
            unlink(p);
    }
    egdi_dir_remove(s.dir, NULL); /* best effort: the charts are written */
    return st;
}
