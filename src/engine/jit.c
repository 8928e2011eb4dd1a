/*
 * jit.c — the native-code tier's glue: compiles a module's functions to
 * machine code (jit_x64.c) into executable memory when the module is
 * loaded, and runs an invocation in it, turning a stop in native code into
 * the same error, backtrace and unwinding the interpreter gives (wbStopped).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/jit.h"
#include "platform/execmem.h"
#include "platform/stack.h"

/* Machine stack kept free below guest frames for the C code they call:
 * host functions (WASI), helpers, nested invocations' set-up, signals. */
#define STACK_MARGIN ((uintptr_t)256 << 10)


static volatile int tier = WB_TIER_AUTO;

void wb_set_tier(wb_tier t)
{
    tier = t;
}

int wb_module_native(const wb_module *m)
{
    return m && m->jit ? 1 : 0;
}

bool wbJitCompileModule(wb_module *m)
{
    uint32_t ndefined = m->nfuncs - m->nfunc_imports;
    if (tier != WB_TIER_AUTO)
        return false;
    size_t *func_at = malloc((ndefined ? ndefined : 1) * sizeof *func_at);
    wbJitCode *jc = malloc(sizeof *jc);
    x64Buf buf = {0};
    size_t enter_at;
    if (!func_at || !jc || !wbJitTranslate(m, &buf, &enter_at, func_at)) {
        free(func_at);
        free(jc);
        return false;
    }
    uint8_t *exec = wbExecMap(buf.bytes, buf.len);
    free(buf.bytes);
    if (!exec) {
        free(func_at);
        free(jc);
        return false;
    }
    jc->exec = exec;
    jc->enter = (wbJitEnter)(void *)(exec + enter_at);
    for (uint32_t i = 0; i < ndefined; i++)
        m->codes[i].native = exec + func_at[i];
    free(func_at);
    m->jit = jc;
    return true;
}

void wbJitFree(wb_module *m)
{
    if (!m->jit)
        return;
    wbExecUnmap(m->jit->exec);
    free(m->jit);
    m->jit = NULL;
}

/* The stop happened in a nested invocation (a call into another
 * instance): its backtrace comes first, then the caller's frames, as the
 * interpreter, which runs such calls inline, reports them. */
static void continue_backtrace(wb_error *err, size_t inner_offset, const char *inner)
{
    if (!inner[0])
        return;
    char joined[sizeof err->detail];
    const char *parts[3] = {inner, err->detail[0] ? " <- " : "", err->detail};
    size_t len = 0;
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(parts[i]);
        if (n > sizeof joined - 1 - len)
            n = sizeof joined - 1 - len; /* cut at the end, as backtraces are */
        memcpy(joined + len, parts[i], n);
        len += n;
    }
    if (len == sizeof joined - 1) { /* cut: end at the last whole frame */
        joined[len] = '\0';
        char *last = NULL;
        for (char *p = strstr(joined, " <- "); p; p = strstr(p + 1, " <- "))
            last = p;
        if (last)
            len = (size_t)(last - joined);
    }
    joined[len] = '\0';
    memcpy(err->detail, joined, len + 1);
    err->offset = inner_offset;
}

/* What native code reads as memory 0 when the instance has none. */
static wb_memory no_memory;

wb_status wbJitRun(wbThread *th, wb_func *func, wbSlot *fp, wb_error *err)
{
    wbJitState outer = th->jit; /* a host function may have called us from native code */
    wb_instance *inst = func->instance;
    uint32_t base = th->nframes;
    th->jit.inst = inst;
    th->jit.funcs = inst->funcs;
    th->jit.globals = inst->globals;
    th->jit.memory = inst->module->nmemories ? inst->memories[0] : &no_memory;
    th->jit.frame_top = th->frames + base;
    th->jit.frames_end = th->frames + th->max_frames; /* (at most WB_MAX_CALL_DEPTH) */
    if (!outer.rsp_limit) {
        char here;
        uintptr_t low = wbStackLow(), sp = (uintptr_t)&here, limit;
        if (low && low < sp) {
            /* keep STACK_MARGIN for C code, or half of what is left on a
             * small stack */
            uintptr_t left = sp - low;
            limit = low + (left / 2 < STACK_MARGIN ? left / 2 : STACK_MARGIN);
        } else { /* unknown bounds: the frame limit's worth below here */
            limit = sp > ((uintptr_t)8 << 20) ? sp - ((uintptr_t)8 << 20) : 0;
        }
        th->jit.rsp_limit = limit;
    }
    th->jit.fuel = th->fuel_on ? th->fuel : INT64_MAX;
    th->jit.status = WB_ERR_TRAP;
    th->jit.trap = NULL;
    th->jit.trap_ip = NULL;
    th->jit.nested = false;
    int stopped = inst->module->jit->enter(th, fp, func->code->native, func);
    if (th->fuel_on)
        th->fuel = th->jit.fuel;
    th->nframes = (uint32_t)(th->jit.frame_top - th->frames);
    wb_status status = WB_OK;
    if (stopped) {
        const uint32_t *ip = th->jit.trap_ip ? th->jit.trap_ip : func->code->words;
        /* stopped in a call into another instance: blame the call, unless
         * the callee ran out of fuel or was interrupted before its first
         * frame (then, as for any call, the position after it) */
        bool at_entry = th->jit.nested && !th->jit.nested_detail[0] &&
                        th->jit.status == WB_ERR_LIMIT && th->jit.trap != wbTrapExhausted;
        if (th->jit.nested && !at_entry)
            ip--;
        status = wbStopped(th, base, ip, th->jit.trap, th->jit.status, err);
        if (th->jit.nested)
            continue_backtrace(err, th->jit.nested_offset, th->jit.nested_detail);
    }
    th->jit = outer;
    return status;
}
