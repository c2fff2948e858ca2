// Re-quantizes an f16 whisper ggml file with ggml's own ggml_quantize_chunk, the way
// whisper.cpp's examples/quantize does (2-D tensors except the skip list), so ct2ggml's
// quantized output can be compared byte for byte with ggml's. Not part of the build:
//
//   W=~/.cargo/registry/src/*/whisper-rs-sys-0.15.0/whisper.cpp
//   L=$(ls -d target/debug/build/whisper-rs-sys-*/out/lib | head -1)
//   gcc -O2 -I$W/ggml/include ggml_quantize_check.c -o q $L/libggml-base.a -lm -lpthread -lstdc++
//   rehearse model convert WHEEL f16.bin && rehearse model convert WHEEL q8.bin --quantize q8_0
//   ./q f16.bin ggml-q8.bin 8 && cmp ggml-q8.bin q8.bin      # 8 = Q8_0, 7 = Q5_1
//
// Checked on the tiny.en wheel with whisper.cpp 1.8.3's ggml: identical for Q8_0 and Q5_1.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "ggml.h"
static int rd(FILE *f, void *p, size_t n) { return fread(p, 1, n, f) == n; }
int main(int argc, char **argv) {
    FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
    int qt = atoi(argv[3]); // ggml type: 8 = q8_0, 7 = q5_1
    int ftype = qt == 8 ? 7 : 9;
    uint32_t magic; int32_t hp[11];
    rd(in, &magic, 4); fwrite(&magic, 4, 1, out);
    rd(in, hp, 44); hp[10] = GGML_QNT_VERSION * GGML_QNT_VERSION_FACTOR + ftype; fwrite(hp, 44, 1, out);
    int32_t nm, nf; rd(in, &nm, 4); rd(in, &nf, 4); fwrite(&nm, 4, 1, out); fwrite(&nf, 4, 1, out);
    float *mel = malloc(nm * nf * 4); rd(in, mel, nm * nf * 4); fwrite(mel, 4, nm * nf, out);
    int32_t nv; rd(in, &nv, 4); fwrite(&nv, 4, 1, out);
    for (int i = 0; i < nv; i++) { uint32_t len; char w[2048]; rd(in, &len, 4); rd(in, w, len); fwrite(&len, 4, 1, out); fwrite(w, 1, len, out); }
    const char *skip[] = {"encoder.conv1.bias", "encoder.conv2.bias", "encoder.positional_embedding", "decoder.positional_embedding"};
    for (;;) {
        int32_t nd, len, tt; if (!rd(in, &nd, 4)) break; rd(in, &len, 4); rd(in, &tt, 4);
        int32_t ne[4] = {1, 1, 1, 1}; int64_t n = 1;
        for (int i = 0; i < nd; i++) { rd(in, &ne[i], 4); n *= ne[i]; }
        char name[512] = {0}; rd(in, name, len);
        int q = nd == 2;
        for (int i = 0; i < 4; i++) if (!strcmp(name, skip[i])) q = 0;
        size_t bpe = tt == 0 ? 4 : 2;
        void *data = malloc(n * bpe); rd(in, data, n * bpe);
        int32_t ot = q ? qt : tt;
        fwrite(&nd, 4, 1, out); fwrite(&len, 4, 1, out); fwrite(&ot, 4, 1, out); fwrite(ne, 4, nd, out); fwrite(name, 1, len, out);
        if (q) {
            float *f = malloc(n * 4);
            for (int64_t i = 0; i < n; i++) f[i] = tt == 1 ? ggml_fp16_to_fp32(((ggml_fp16_t *)data)[i]) : ((float *)data)[i];
            void *w = malloc(n * 4);
            size_t sz = ggml_quantize_chunk(qt, f, w, 0, n / ne[0], ne[0], NULL);
            fwrite(w, 1, sz, out); free(f); free(w);
        } else fwrite(data, 1, n * bpe, out);
        free(data);
    }
    fclose(out); return 0;
}
