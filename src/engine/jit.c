/*
 * jit.c — the native-code tier's glue: compiles a module's functions to
 * machine code (jit_x64.c) into executable memory when the module is
 * loaded, and runs an invocation in it, turning a stop in native code into
 * the same error, backtrace and unwinding the interpreter gives (wbStopped).
 */
#include <stdlib.h>

#include "engine/jit.h"
#include "platform/execmem.h"

/* Native frames are 16 bytes; at most this many wasm frames deep in one
 * thread's native code (4 MiB of native stack), whatever the limits say. */
#define MAX_NATIVE_FRAMES (1u << 18)

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
    jc->size = buf.len;
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
    wbExecUnmap(m->jit->exec, m->jit->size);
    free(m->jit);
    m->jit = NULL;
}

/* What native code reads as memory 0 when the instance has none. */
static wb_memory no_memory;

wb_status wbJitRun(wbThread *th, wb_func *func, wbSlot *fp, wb_error *err)
{
    wbJitState outer = th->jit; /* a host function may have called us from native code */
    wb_instance *inst = func->instance;
    uint32_t base = th->nframes;
    uint32_t max = th->max_frames < MAX_NATIVE_FRAMES ? th->max_frames : MAX_NATIVE_FRAMES;
    th->jit.inst = inst;
    th->jit.funcs = inst->funcs;
    th->jit.globals = inst->globals;
    th->jit.memory = inst->module->nmemories ? inst->memories[0] : &no_memory;
    th->jit.frame_top = th->frames + base;
    th->jit.frames_end = th->frames + (max > base ? max : base);
    th->jit.fuel = th->fuel_on ? th->fuel : INT64_MAX;
    th->jit.status = WB_ERR_TRAP;
    th->jit.trap = NULL;
    th->jit.trap_ip = NULL;
    int stopped = inst->module->jit->enter(th, fp, func->code->native, func);
    if (th->fuel_on)
        th->fuel = th->jit.fuel;
    th->nframes = (uint32_t)(th->jit.frame_top - th->frames);
    wb_status status = WB_OK;
    if (stopped) {
        const uint32_t *ip = th->jit.trap_ip ? th->jit.trap_ip : func->code->words;
        status = wbStopped(th, base, ip, th->jit.trap, th->jit.status, err);
    }
    th->jit = outer;
    return status;
}
