// The drawn signature, on signature_pad: optional, since the typed full name alone signs too (the
// way to sign by keyboard or screen reader). The strokes are kept as well as the image, so the
// drawing can be replayed; Clear starts again.
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import SignaturePad from 'signature_pad';
import { Button } from '../../../components/Button';
import type { ConsentSignature } from './consentsApi';

export type Drawing = NonNullable<ConsentSignature['drawing']>;

export interface SignaturePadHandle {
  /** The drawing, or undefined when nothing was drawn. */
  drawing(): Drawing | undefined;
}

export function SignaturePadField({ handle, hintId }: { handle: Ref<SignaturePadHandle>; hintId: string }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    const element = canvas.current!;
    // Drawn at the screen's pixel density, so the signature is sharp in the PDF.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    element.width = element.offsetWidth * ratio;
    element.height = element.offsetHeight * ratio;
    element.getContext('2d')!.scale(ratio, ratio);
    const signaturePad = new SignaturePad(element, { penColor: 'rgb(0, 0, 64)' });
    signaturePad.addEventListener('endStroke', () => setDrawn(!signaturePad.isEmpty()));
    pad.current = signaturePad;
    return () => signaturePad.off();
  }, []);

  useImperativeHandle(handle, () => ({
    drawing() {
      const signaturePad = pad.current;
      if (!signaturePad || signaturePad.isEmpty()) return undefined;
      return {
        strokes: signaturePad.toData().map((group) => ({
          points: group.points.map((p) => ({ x: p.x, y: p.y, time: p.time, pressure: p.pressure })),
          penColor: group.penColor,
        })),
        imagePng: signaturePad.toDataURL('image/png'),
      };
    },
  }));

  return (
    <div className="signature-pad">
      <canvas
        ref={canvas}
        className="signature-pad__canvas"
        role="img"
        aria-label={t('consents.sign.drawingArea')}
        aria-describedby={hintId}
      />
      <div className="signature-pad__actions">
        <span aria-live="polite">{drawn ? t('consents.sign.drawn') : t('consents.sign.notDrawn')}</span>
        <Button
          variant="secondary"
          onClick={() => {
            pad.current?.clear();
            setDrawn(false);
          }}
          disabled={!drawn}
        >
          {t('consents.sign.clear')}
        </Button>
      </div>
    </div>
  );
}
