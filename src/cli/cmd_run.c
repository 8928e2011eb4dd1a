/*
 * cmd_run.c — `wasmbox run`: instantiate a module and run it. With
 * `--invoke NAME`, calls that export with arguments parsed by its parameter
 * types and prints the results one per line, as `wasmtime run --invoke` does.
 * Every word after MODULE belongs to the guest, even one starting with '-'.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "wasmbox.h"

/* Exit status when the guest traps, as wasmtime uses (128 + SIGABRT). */
#define EXIT_TRAP 134

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: wasmbox run [OPTIONS] MODULE [ARGS...]\n"
            "\n"
            "Instantiates MODULE and runs it. Every word after MODULE is passed to the\n"
            "guest (or to the invoked function), even one that starts with '-'.\n"
            "\n"
            "Options:\n"
            "  --invoke NAME   call the exported function NAME with ARGS parsed by its\n"
            "                  parameter types (i32/i64: decimal or 0x hex; f32/f64:\n"
            "                  decimal, hex float, nan, inf) and print each result on\n"
            "                  its own line\n"
            "  -h, --help      show this help\n"
            "\n"
            "Exit status: 0 success, 2 usage error (unknown export, wrong number of\n"
            "arguments, unparsable argument, unreadable or invalid module), 134 the\n"
            "guest trapped (the trap and a backtrace are printed on stderr).\n"
            "\n"
            "Example:\n"
            "  wasmbox run --invoke add math.wasm 2 -5\n");
}

static const char *type_name(wb_valtype t)
{
    switch (t) {
    case WB_TYPE_I32: return "i32";
    case WB_TYPE_I64: return "i64";
    case WB_TYPE_F32: return "f32";
    case WB_TYPE_F64: return "f64";
    case WB_TYPE_V128: return "v128";
    case WB_TYPE_FUNCREF: return "funcref";
    case WB_TYPE_EXTERNREF: return "externref";
    }
    return "?";
}

/* Parses an integer of `bits` width: decimal (signed or unsigned) or 0x hex. */
static int parse_int(const char *s, unsigned bits, uint64_t *out)
{
    errno = 0;
    char *end;
    uint64_t v;
    if (s[0] == '-') {
        long long n = strtoll(s, &end, 0);
        if (bits == 32 && (n < INT32_MIN || n > 0))
            return 0;
        v = (uint64_t)n;
        if (bits == 32)
            v &= 0xffffffffu;
    } else {
        v = strtoull(s, &end, 0);
        if (bits == 32 && v > UINT32_MAX)
            return 0;
    }
    if (errno || end == s || *end)
        return 0;
    *out = v;
    return 1;
}

static int parse_value(const char *s, wb_valtype t, wb_value *v)
{
    char *end;
    uint64_t u;
    v->type = t;
    switch (t) {
    case WB_TYPE_I32:
        if (!parse_int(s, 32, &u))
            return 0;
        v->of.i32 = (uint32_t)u;
        return 1;
    case WB_TYPE_I64:
        if (!parse_int(s, 64, &u))
            return 0;
        v->of.i64 = u;
        return 1;
    case WB_TYPE_F32: {
        float f = strtof(s, &end);
        if (end == s || *end)
            return 0;
        memcpy(&v->of.f32, &f, 4);
        return 1;
    }
    case WB_TYPE_F64: {
        double d = strtod(s, &end);
        if (end == s || *end)
            return 0;
        memcpy(&v->of.f64, &d, 8);
        return 1;
    }
    default:
        return 0;
    }
}

static void print_value(const wb_value *v)
{
    switch (v->type) {
    case WB_TYPE_I32: printf("%" PRId32 "\n", (int32_t)v->of.i32); break;
    case WB_TYPE_I64: printf("%" PRId64 "\n", (int64_t)v->of.i64); break;
    case WB_TYPE_F32: {
        float f;
        memcpy(&f, &v->of.f32, 4);
        if (isnan(f))
            printf("nan\n");
        else
            printf("%.9g\n", (double)f);
        break;
    }
    case WB_TYPE_F64: {
        double d;
        memcpy(&d, &v->of.f64, 8);
        if (isnan(d))
            printf("nan\n");
        else
            printf("%.17g\n", d);
        break;
    }
    case WB_TYPE_FUNCREF:
    case WB_TYPE_EXTERNREF:
        printf(v->of.ref ? "ref\n" : "null\n");
        break;
    default:
        printf("<%s>\n", type_name(v->type));
        break;
    }
}

static void print_error(const char *what, const wb_error *err)
{
    char line[256];
    fprintf(stderr, "wasmbox: %s: %s\n", what, wb_error_format(err, line, sizeof line));
}

/* Calls export `name` with the words in argv; returns the exit status. */
static int invoke(wb_instance *inst, const char *name, int argc, char **argv)
{
    wb_extern ext;
    if (!wb_instance_export(inst, name, &ext) || ext.kind != WB_EXTERN_FUNC) {
        fprintf(stderr, "wasmbox: the module has no exported function '%s'\n", name);
        return WB_EXIT_USAGE;
    }
    uint32_t np, nr;
    const wb_valtype *pt, *rt;
    wb_func_type(ext.of.func, &np, &pt, &nr, &rt);
    if ((uint32_t)argc != np) {
        fprintf(stderr, "wasmbox: '%s' takes %u argument%s, %d given\n", name, np,
                np == 1 ? "" : "s", argc);
        return WB_EXIT_USAGE;
    }
    wb_value *args = calloc(np + 1, sizeof *args), *results = calloc(nr + 1, sizeof *results);
    int status = WB_EXIT_OK;
    if (!args || !results) {
        fprintf(stderr, "wasmbox: out of memory\n");
        status = WB_EXIT_FAILURE;
        goto done;
    }
    for (uint32_t i = 0; i < np; i++) {
        if (!parse_value(argv[i], pt[i], &args[i])) {
            fprintf(stderr, "wasmbox: argument %u of '%s': '%s' is not a valid %s\n", i + 1, name,
                    argv[i], type_name(pt[i]));
            status = WB_EXIT_USAGE;
            goto done;
        }
    }
    wb_error err;
    wb_status s = wb_func_call(ext.of.func, args, np, results, nr, &err);
    if (s == WB_OK) {
        for (uint32_t i = 0; i < nr; i++)
            print_value(&results[i]);
    } else {
        print_error(s == WB_ERR_TRAP || s == WB_ERR_LIMIT ? "trap" : "error", &err);
        status = s == WB_ERR_TRAP || s == WB_ERR_LIMIT ? EXIT_TRAP : WB_EXIT_FAILURE;
    }
done:
    free(args);
    free(results);
    return status;
}

int wbCmdRun(int argc, char **argv)
{
    const char *invoke_name = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (wbCliIsHelp(a)) {
            usage(stdout);
            return WB_EXIT_OK;
        } else if (strcmp(a, "--invoke") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wasmbox run: --invoke needs a function name\n");
                return WB_EXIT_USAGE;
            }
            invoke_name = argv[i];
        } else if (strncmp(a, "--invoke=", 9) == 0) {
            invoke_name = a + 9;
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "wasmbox run: unknown option '%s'\n", a);
            fprintf(stderr, "Run 'wasmbox run --help' for the options.\n");
            return WB_EXIT_USAGE;
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "wasmbox run: no module given\n");
        usage(stderr);
        return WB_EXIT_USAGE;
    }
    const char *path = argv[i++];
    size_t size;
    uint8_t *bytes = wbCliReadFile(path, &size);
    if (!bytes)
        return WB_EXIT_USAGE;
    wb_module *module = NULL;
    wb_store *store = NULL;
    wb_instance *inst = NULL;
    wb_error err;
    int status = WB_EXIT_OK;
    if (wb_module_new(bytes, size, &module, &err) != WB_OK) {
        print_error(path, &err);
        status = WB_EXIT_USAGE;
        goto done;
    }
    store = wb_store_new(NULL);
    if (!store) {
        fprintf(stderr, "wasmbox: out of memory\n");
        status = WB_EXIT_FAILURE;
        goto done;
    }
    wb_status s = wb_instance_new(store, module, NULL, &inst, &err);
    if (s != WB_OK) {
        print_error(path, &err);
        status = s == WB_ERR_TRAP ? EXIT_TRAP : WB_EXIT_USAGE;
        goto done;
    }
    if (invoke_name) {
        status = invoke(inst, invoke_name, argc - i, argv + i);
    } else {
        wb_extern ext;
        if (wb_instance_export(inst, "_start", &ext) && ext.kind == WB_EXTERN_FUNC)
            status = invoke(inst, "_start", 0, NULL);
        else if (!(wb_instance_export(inst, "", &ext) && ext.kind == WB_EXTERN_FUNC))
            fprintf(stderr, "wasmbox: %s: nothing to run (no _start export; use --invoke NAME)\n",
                    path);
        else
            status = invoke(inst, "", 0, NULL);
    }
done:
    wb_store_delete(store);
    wb_module_delete(module);
    free(bytes);
    return status;
}
