/*
 * vm.c — wasmbox benchmark: an interpreter inside the interpreter. A small
 * stack-based bytecode VM (a switch in a loop, as most simple interpreters
 * are written) runs a program that loops a million times per iteration,
 * mixing arithmetic, comparisons, locals and a call; prints a checksum of the
 * program's results.
 *
 * Usage: vm [ITERATIONS]    (default 3; prints "vm(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_ITERS 3

uint32_t bench_run(uint32_t iters);

enum op {
    PUSH,  /* imm: push imm */
    LOAD,  /* imm: push local[imm] */
    STORE, /* imm: local[imm] = pop */
    ADD, SUB, MUL, XOR, SHR,
    LT,    /* a b -> a < b */
    JZ,    /* imm: pop; jump to imm if zero */
    JMP,   /* imm: jump to imm */
    CALL,  /* imm: push the return address, jump to imm */
    RET,
    DUP,
    SWAP,
    HALT,
};

/*
 * locals: 0 = i, 1 = acc, 2 = n, 3 = t
 *   for (i = 0; i < n; i++) { t = mix(i); acc = (acc ^ t) + (acc >> 3) + i * 7 - 1; }
 *   mix(x) = (x * 2654435761) ^ (x >> 5)
 */
static const int32_t program[] = {
    /*  0 */ PUSH, 0, STORE, 0, PUSH, 0, STORE, 1,
    /*  8 */ LOAD, 0, LOAD, 2, LT, JZ, 52,                   /* loop: */
    /* 15 */ LOAD, 0, CALL, 53, STORE, 3,
    /* 21 */ LOAD, 1, LOAD, 3, XOR, LOAD, 1, PUSH, 3, SHR, ADD,
    /* 32 */ LOAD, 0, PUSH, 7, MUL, ADD, PUSH, 1, SUB, STORE, 1,
    /* 43 */ LOAD, 0, PUSH, 1, ADD, STORE, 0, JMP, 8,
    /* 52 */ HALT,                                           /* end: */
    /* 53 */ DUP, PUSH, (int32_t)0x9E3779B1, MUL, SWAP,      /* mix: */
    /* 58 */ PUSH, 5, SHR, XOR, RET,
};

static uint32_t run(const int32_t *code, uint32_t n)
{
    uint32_t stack[64], locals[4] = {0, 0, n, 0}, rstack[16], t;
    int sp = 0, rsp = 0, pc = 0;
    for (;;) {
        switch ((enum op)code[pc++]) {
        case PUSH: stack[sp++] = (uint32_t)code[pc++]; break;
        case LOAD: stack[sp++] = locals[code[pc++]]; break;
        case STORE: locals[code[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case SHR: sp--; stack[sp - 1] >>= stack[sp] & 31; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
        case JMP: pc = code[pc]; break;
        case CALL: rstack[rsp++] = (uint32_t)pc + 1; pc = code[pc]; break;
        case RET: pc = (int)rstack[--rsp]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case SWAP: t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break;
        case HALT: return locals[1];
        }
    }
}

uint32_t bench_run(uint32_t iters)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < iters; i++)
        h = (h * 33u) ^ run(program, 1000000 + i);
    return h;
}

#define BENCH_NAME "vm"
#include "bench_main.h"
