/*
 * mandelbrot.c — wasmbox benchmark: double-precision multiply-add in a tight
 * loop with a data-dependent exit. Each iteration renders a 200x150 view of
 * the Mandelbrot set (at most 256 steps per point) near the boundary, at one
 * of eight zoom levels in turn, and folds the step counts of every row into the checksum.
 *
 * Usage: mandelbrot [ITERATIONS]    (default 16; prints "mandelbrot(N) = 0xCHECKSUM")
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_ITERS 16
#define WIDTH 200
#define HEIGHT 150
#define MAX_STEPS 256

uint32_t bench_run(uint32_t iters);

static uint32_t render(double cx, double cy, double scale)
{
    uint32_t h = 0;
    for (int py = 0; py < HEIGHT; py++) {
        uint32_t row = 0;
        double ci = cy + (py - HEIGHT / 2) * scale;
        for (int px = 0; px < WIDTH; px++) {
            double cr = cx + (px - WIDTH / 2) * scale;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int n = 0;
            while (n < MAX_STEPS && zr2 + zi2 <= 4.0) {
                zi = 2 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                n++;
            }
            row = row * 31u + (uint32_t)n;
        }
        h = (h * 33u) ^ row;
    }
    return h;
}

uint32_t bench_run(uint32_t iters)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < iters; i++) {
        double scale = 3.0 / WIDTH;
        for (uint32_t z = 0; z < i % 8; z++)
            scale *= 0.7;
        h = (h * 33u) ^ render(-0.743643887037151, 0.131825904205330, scale);
    }
    return h;
}

#define BENCH_NAME "mandelbrot"
#include "bench_main.h"
