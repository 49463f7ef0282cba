//! The zinnia handwriting recogniser (Debian `libzinnia0`, BSD), opened at run time.
//!
//! This is the crate's only `unsafe` code: the C library is loaded with `dlopen`, its
//! functions looked up by name, and called with pointers it handed out. Each block says why it
//! is sound. The rest of the crate sees [`Zinnia`], a safe, `Send` owner of one recogniser.
#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_char, c_float, c_int, c_void};
use std::path::Path;
use std::ptr::NonNull;

use libloading::Library;

/// Why zinnia could not be opened or asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZinniaError {
    /// The shared library or one of its functions could not be loaded.
    #[error("zinnia library not loadable: {0}")]
    Library(String),
    /// The model file could not be opened by zinnia.
    #[error("zinnia model not readable: {0}")]
    Model(String),
    /// zinnia gave no answer for a character.
    #[error("zinnia could not classify the strokes")]
    Classify,
}

type NewFn = unsafe extern "C" fn() -> *mut c_void;
type DestroyFn = unsafe extern "C" fn(*mut c_void);
type OpenFn = unsafe extern "C" fn(*mut c_void, *const c_char) -> c_int;
type StrerrorFn = unsafe extern "C" fn(*mut c_void) -> *const c_char;
type SetSizeFn = unsafe extern "C" fn(*mut c_void, usize);
type AddFn = unsafe extern "C" fn(*mut c_void, usize, c_int, c_int) -> c_int;
type ClassifyFn = unsafe extern "C" fn(*mut c_void, *const c_void, usize) -> *mut c_void;
type ResultValueFn = unsafe extern "C" fn(*mut c_void, usize) -> *const c_char;
type ResultScoreFn = unsafe extern "C" fn(*mut c_void, usize) -> c_float;
type ResultSizeFn = unsafe extern "C" fn(*mut c_void) -> usize;

/// The functions of libzinnia this module calls (signatures from `zinnia.h`, 0.06).
#[derive(Clone, Copy)]
struct Functions {
    recognizer_new: NewFn,
    recognizer_destroy: DestroyFn,
    recognizer_open: OpenFn,
    recognizer_strerror: StrerrorFn,
    recognizer_classify: ClassifyFn,
    character_new: NewFn,
    character_destroy: DestroyFn,
    character_set_width: SetSizeFn,
    character_set_height: SetSizeFn,
    character_add: AddFn,
    result_value: ResultValueFn,
    result_score: ResultScoreFn,
    result_size: ResultSizeFn,
    result_destroy: DestroyFn,
}

impl Functions {
    fn load(library: &Library) -> Result<Self, ZinniaError> {
        fn get<T: Copy>(library: &Library, name: &str) -> Result<T, ZinniaError> {
            // SAFETY: every `T` this is called with is the exact C signature of `name` in
            // zinnia.h 0.06; the pointer is only used while `library` stays loaded (`Zinnia`
            // keeps the library until after its last call).
            unsafe { library.get::<T>(name) }
                .map(|symbol| *symbol)
                .map_err(|e| ZinniaError::Library(e.to_string()))
        }
        Ok(Self {
            recognizer_new: get(library, "zinnia_recognizer_new")?,
            recognizer_destroy: get(library, "zinnia_recognizer_destroy")?,
            recognizer_open: get(library, "zinnia_recognizer_open")?,
            recognizer_strerror: get(library, "zinnia_recognizer_strerror")?,
            recognizer_classify: get(library, "zinnia_recognizer_classify")?,
            character_new: get(library, "zinnia_character_new")?,
            character_destroy: get(library, "zinnia_character_destroy")?,
            character_set_width: get(library, "zinnia_character_set_width")?,
            character_set_height: get(library, "zinnia_character_set_height")?,
            character_add: get(library, "zinnia_character_add")?,
            result_value: get(library, "zinnia_result_value")?,
            result_score: get(library, "zinnia_result_score")?,
            result_size: get(library, "zinnia_result_size")?,
            result_destroy: get(library, "zinnia_result_destroy")?,
        })
    }
}

/// One zinnia recogniser with its model open.
pub struct Zinnia {
    functions: Functions,
    recognizer: NonNull<c_void>,
    // Dropped after `Drop::drop` destroyed the recogniser: the code stays mapped until then.
    _library: Library,
}

// SAFETY: the recogniser is a heap object owned only by this value; zinnia keeps no
// thread-local state, so it may be used from another thread as long as one thread at a time
// does (callers hold it behind a mutex: `Zinnia` is deliberately not `Sync`).
unsafe impl Send for Zinnia {}

impl std::fmt::Debug for Zinnia {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Zinnia")
    }
}

impl Zinnia {
    /// Loads the library (`libzinnia.so.0` or a path) and opens `model`.
    pub fn open(library: &str, model: &Path) -> Result<Self, ZinniaError> {
        // SAFETY: loading libzinnia runs its (C++) static initialisers, which only set up
        // the library's own tables; no other code of ours runs meanwhile.
        let loaded =
            unsafe { Library::new(library) }.map_err(|e| ZinniaError::Library(e.to_string()))?;
        let functions = Functions::load(&loaded)?;
        let path = model_path(model)?;
        // SAFETY: `zinnia_recognizer_new` takes nothing and returns a new recogniser or null.
        let raw = unsafe { (functions.recognizer_new)() };
        let recognizer = NonNull::new(raw).ok_or(ZinniaError::Classify)?;
        let zinnia = Self {
            functions,
            recognizer,
            _library: loaded,
        };
        // SAFETY: the recogniser is live; `path` is a NUL-terminated string alive for the call.
        let opened = unsafe { (functions.recognizer_open)(recognizer.as_ptr(), path.as_ptr()) };
        if opened == 0 {
            return Err(ZinniaError::Model(zinnia.last_error()));
        }
        Ok(zinnia)
    }

    fn last_error(&self) -> String {
        // SAFETY: the recogniser is live; zinnia returns a pointer to its own NUL-terminated
        // message (or null), valid until the next call on it, and we copy it at once.
        let message = unsafe { (self.functions.recognizer_strerror)(self.recognizer.as_ptr()) };
        if message.is_null() {
            return "unknown error".to_owned();
        }
        // SAFETY: non-null and NUL-terminated, as checked and documented above.
        unsafe { CStr::from_ptr(message) }
            .to_string_lossy()
            .into_owned()
    }

    /// The `best` characters for `strokes` (integer points in a `size` × `size` box), with
    /// zinnia's scores (higher is better).
    pub fn classify(
        &mut self,
        size: u32,
        strokes: &[Vec<(i32, i32)>],
        best: usize,
    ) -> Result<Vec<(String, f32)>, ZinniaError> {
        let f = self.functions;
        // SAFETY: `zinnia_character_new` takes nothing and returns a new character or null.
        let character =
            NonNull::new(unsafe { (f.character_new)() }).ok_or(ZinniaError::Classify)?;
        let character = Owned {
            pointer: character,
            destroy: f.character_destroy,
        };
        // SAFETY: the character is live (owned by `character` until the end of this function).
        unsafe {
            (f.character_set_width)(character.as_ptr(), size as usize);
            (f.character_set_height)(character.as_ptr(), size as usize);
        }
        for (id, stroke) in strokes.iter().enumerate() {
            for &(x, y) in stroke {
                // SAFETY: the character is live; ids count up from 0 as zinnia expects.
                unsafe { (f.character_add)(character.as_ptr(), id, x, y) };
            }
        }
        // SAFETY: recogniser and character are live; zinnia returns a new result or null.
        let result =
            unsafe { (f.recognizer_classify)(self.recognizer.as_ptr(), character.as_ptr(), best) };
        let result = Owned {
            pointer: NonNull::new(result).ok_or(ZinniaError::Classify)?,
            destroy: f.result_destroy,
        };
        // SAFETY: the result is live.
        let size = unsafe { (f.result_size)(result.as_ptr()) };
        let mut found = Vec::with_capacity(size.min(best));
        for i in 0..size.min(best) {
            // SAFETY: the result is live and `i` is below its size; the value is a
            // NUL-terminated UTF-8 string owned by the result, copied before it is destroyed.
            let (value, score) = unsafe {
                (
                    (f.result_value)(result.as_ptr(), i),
                    (f.result_score)(result.as_ptr(), i),
                )
            };
            if value.is_null() {
                continue;
            }
            // SAFETY: non-null and NUL-terminated (see above).
            let text = unsafe { CStr::from_ptr(value) }
                .to_string_lossy()
                .into_owned();
            found.push((text, score));
        }
        Ok(found)
    }
}

impl Drop for Zinnia {
    fn drop(&mut self) {
        // SAFETY: the recogniser was made by `zinnia_recognizer_new`, is destroyed once, here,
        // while the library is still loaded.
        unsafe { (self.functions.recognizer_destroy)(self.recognizer.as_ptr()) };
    }
}

/// A zinnia object destroyed when dropped.
struct Owned {
    pointer: NonNull<c_void>,
    destroy: DestroyFn,
}

impl Owned {
    fn as_ptr(&self) -> *mut c_void {
        self.pointer.as_ptr()
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        // SAFETY: `pointer` came from the matching `*_new` or classify call and is destroyed
        // once; the library outlives it (it is dropped inside a `Zinnia` method).
        unsafe { (self.destroy)(self.pointer.as_ptr()) };
    }
}

fn model_path(model: &Path) -> Result<CString, ZinniaError> {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        model.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = model.to_string_lossy().into_owned().into_bytes();
    CString::new(bytes).map_err(|_| ZinniaError::Model("path holds a NUL byte".to_owned()))
}
