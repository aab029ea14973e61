# The engram-optical network: a page CNN whose 64x64-pixel patches become vision tokens, and a band decoder.
# Shared by train.py and export.py so the exported graph is exactly the trained one.
import torch
import torch.nn as nn
import torch.nn.functional as F

CHARSET = ''.join(chr(c) for c in range(32, 127))  # index 0 is the CTC blank, then printable ASCII
NCLS = len(CHARSET) + 1
PATCH = 64  # pixels per token side, in every mode (DeepEncoder: 16-px patches, 16x compressed)
LADDER_SIDES = [20, 16, 10, 8, 4, 2, 1]  # large 400, base 256, small 100, tiny 64, gist16, gist4, gist1


class Encoder(nn.Module):
    """Grey page [B,1,S,S] in [0,1] -> tokens [B, S/64, S/64, D]. S must be a multiple of 64."""

    def __init__(self, dim=256, ch=64):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, stride=2, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.c3 = nn.Conv2d(32, 32, 3, padding=1)
        self.c4 = nn.Conv2d(32, ch, 3, stride=(2, 1), padding=1)
        self.c5 = nn.Conv2d(ch, ch, 3, padding=1)
        # Features sit at (S/8, S/4): a token is an 8x16 patch of them, i.e. 64x64 pixels.
        # Batch norm on the stem: without it the thin stem sat on the CTC plateau for hundreds of steps.
        self.n1, self.n2, self.n3, self.n4, self.n5 = (nn.BatchNorm2d(c) for c in (16, 32, 32, ch, ch))
        self.patch = nn.Conv2d(ch, dim, kernel_size=(8, 16), stride=(8, 16))
        self.mix = nn.Conv2d(dim, dim, 3, padding=1)
        self.norm = nn.LayerNorm(dim)

    def forward(self, pixels, return_features: bool = False):
        # Polarity: dark-mode pages are inverted so ink is always high.
        m = pixels.mean(dim=(1, 2, 3), keepdim=True)
        x = torch.where(m < 0.5, pixels, 1.0 - pixels)
        x = F.gelu(self.n1(self.c1(x)))
        x = F.gelu(self.n2(self.c2(x)))
        x = F.gelu(self.n3(self.c3(x)))
        x = F.gelu(self.n4(self.c4(x)))
        x = x + F.gelu(self.n5(self.c5(x)))
        t = self.to_tokens(x)
        t = t + F.gelu(self.mix(t))
        t = self.norm(t.permute(0, 2, 3, 1))
        return (t, x) if return_features else t

    def to_tokens(self, feats):
        """Stem features [B, ch, S/8, S/4] -> one dim-vector per 8 x 16 patch of them, before mixing."""
        return self.patch(feats)

    def warm_start(self, row_head):
        """After an --init-from load: nothing of v1 needs the row head."""


class Decoder(nn.Module):
    """Tokens [B,H,W,D] -> per band of 64 px, `slots` line slots, each a CTC sequence of W*P positions."""

    def __init__(self, dim=256, slots=8, pos=24, emb=32, hidden=96):
        super().__init__()
        self.slots, self.pos, self.emb = slots, pos, emb
        self.mix = nn.Conv2d(dim, dim, 3, padding=1)
        self.expand = nn.Linear(dim, slots * pos * emb)
        self.c1 = nn.Conv1d(emb, hidden, 3, padding=1)
        self.c2 = nn.Conv1d(hidden, hidden, 3, padding=1)
        self.out = nn.Conv1d(hidden, NCLS, 1)

    def forward(self, tokens):
        B, H, W, D = tokens.shape
        x = tokens.permute(0, 3, 1, 2)
        x = x + F.gelu(self.mix(x))
        x = x.permute(0, 2, 3, 1)
        e = self.expand(x).reshape(B, H, W, self.slots, self.pos, self.emb)
        e = e.permute(0, 1, 3, 5, 2, 4).reshape(B * H * self.slots, self.emb, W * self.pos)
        h = F.gelu(self.c1(e))
        h = h + F.gelu(self.c2(h))
        logits = self.out(h)  # [N, C, T]
        return logits.reshape(B, H, self.slots, NCLS, W * self.pos)


class EncoderV2(Encoder):
    """The same stem, then a nonlinear token path: each 8-px feature row is read by a 1x3 convolution (initialised
    from the row head, so it starts out seeing characters), squeezed to 32 channels, and each 8 x 16 patch of
    those goes through a two-layer MLP to its token. v1's token was one linear map of raw stem features: the row
    head read 78% of characters from those features while the token path read 14%."""

    def __init__(self, dim=256, ch=64, row=128, sq=32, hidden=512):
        super().__init__(dim, ch)
        self.rowc = nn.Conv2d(ch, row, (1, 3), padding=(0, 1))
        self.rowp = nn.Conv2d(row, sq, 1)
        self.patch = nn.Conv2d(sq, hidden, kernel_size=(8, 16), stride=(8, 16))
        self.proj = nn.Conv2d(hidden, dim, 1)

    def to_tokens(self, feats):
        r = self.rowp(F.gelu(self.rowc(feats)))
        return self.proj(F.gelu(self.patch(r)))

    def warm_start(self, row_head):
        """The row reader starts as the row head's first layer (a 1-D conv over a row is a 1 x 3 conv): it already
        sees characters."""
        with torch.no_grad():
            self.rowc.weight.copy_(row_head.c1.weight.unsqueeze(2))
            self.rowc.bias.copy_(row_head.c1.bias)


class DecoderV2(Decoder):
    """v1's band decoder with a two-layer MLP in place of the single linear expansion of each token."""

    def __init__(self, dim=256, slots=8, pos=24, emb=32, hidden=96, mlp=512):
        super().__init__(dim, slots, pos, emb, hidden)
        self.expand = nn.Sequential(nn.Linear(dim, mlp), nn.GELU(), nn.Linear(mlp, slots * pos * emb))


def make_models(arch='v1'):
    """(encoder, decoder) of an architecture; checkpoints record theirs in config['arch'] (absent: v1)."""
    if arch == 'v1':
        return Encoder(), Decoder()
    if arch == 'v2':
        return EncoderV2(), DecoderV2()
    raise ValueError(f'unknown architecture {arch!r}')


class RowHead(nn.Module):
    """Training only (deep supervision): reads each 8-px feature row as a CTC line, before the token bottleneck.
    Row r is band r // 8, slot r % 8 of the decoder, so it shares the decoder's targets and teaches the stem to see
    characters long before any can pass through the bottleneck."""

    def __init__(self, ch=64, hidden=128):
        super().__init__()
        self.c1 = nn.Conv1d(ch, hidden, 3, padding=1)
        self.out = nn.Conv1d(hidden, NCLS, 1)

    def forward(self, feats):  # [B, C, R, W] -> [B, R, C=NCLS, W]
        B, C, R, W = feats.shape
        x = feats.permute(0, 2, 1, 3).reshape(B * R, C, W)
        y = self.out(F.gelu(self.c1(x)))
        return y.reshape(B, R, NCLS, W)


def area_matrix(n, m):
    """[m, n] averaging weights taking n cells to m cells (rows sum to 1). Mirrors ladder.ts."""
    A = torch.zeros(m, n)
    for i in range(m):
        a0, a1 = i / m, (i + 1) / m
        for j in range(n):
            b0, b1 = j / n, (j + 1) / n
            ov = min(a1, b1) - max(a0, b0)
            if ov > 1e-12:
                A[i, j] = ov
        A[i] /= A[i].sum()
    return A


def up_matrix(m, n):
    """[n, m] weights taking m coarse cells back to n fine cells: the area matrix transposed, rows normalised."""
    U = area_matrix(n, m).t().clone()
    return U / U.sum(dim=1, keepdim=True)


def fade(tokens, side):
    """Re-compress a token grid to side x side (area average), then spread it back over the native grid for decoding."""
    B, H, W, D = tokens.shape
    Ah, Aw = area_matrix(H, side), area_matrix(W, side)
    low = torch.einsum('ih,bhwd,jw->bijd', Ah, tokens, Aw)
    Uh, Uw = up_matrix(side, H), up_matrix(side, W)
    return torch.einsum('hi,bijd,wj->bhwd', Uh, low, Uw)


def ctc_greedy(ids):
    """ids [T] of class indices -> string."""
    out, prev = [], 0
    for i in ids:
        i = int(i)
        if i != prev and i != 0:
            out.append(CHARSET[i - 1])
        prev = i
    return ''.join(out)


def decode_text(ids):
    """ids [H, slots, T] -> page text, band by band, slot by slot."""
    lines = []
    for b in range(ids.shape[0]):
        for s in range(ids.shape[1]):
            t = ctc_greedy(ids[b, s]).strip()
            if t:
                lines.append(t)
    return '\n'.join(lines)
